package dev.floe.table;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.errors.RunFailure;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogsTest {
  @TempDir Path dir;

  /** A file IO whose jars are not all there: it fails on its first use of a missing class. */
  public static final class FileIoMissingAClass extends HadoopFileIO {
    @Override
    public void initialize(Map<String, String> properties) {
      throw new NoClassDefFoundError("software/amazon/awssdk/services/sts/model/Tag");
    }
  }

  @Test
  void aCatalogMissingAClassIsAClearRunFailureNamingTheClassAndTheFix() {
    assertThatThrownBy(
            () ->
                Catalogs.load(
                    Map.of(
                        "type", "hadoop",
                        "warehouse", dir.toString(),
                        "io-impl", FileIoMissingAClass.class.getName())))
        .isInstanceOf(RunFailure.class)
        .hasMessage(
            "the catalog (type hadoop, io-impl "
                + FileIoMissingAClass.class.getName()
                + ") needs a class that is not on the classpath:"
                + " software/amazon/awssdk/services/sts/model/Tag. docs/catalogs.md lists the"
                + " catalogs and file IOs the jar carries and how to add the others; nothing was"
                + " read or committed");
  }
}
