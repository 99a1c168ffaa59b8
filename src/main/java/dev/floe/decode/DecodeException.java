package dev.floe.decode;

import dev.floe.deadletter.DeadLetters.Kind;

/** A record that is not a valid CloudEvent, with the kind of problem. */
public final class DecodeException extends Exception {
  final Kind kind;

  DecodeException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }
}
