package com.example.orders.authserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The issuer's RSA key: generated once into a file only its owner can read, then read from it on every start. */
class SigningKeyTests {

  @TempDir
  Path dir;

  @Test
  void theFirstStartGeneratesAnRsaKeyIntoAnOwnerOnlyFileInTheDirectoriesItCreates() throws Exception {
    Path file = dir.resolve("data/auth/signing-key.json");

    RSAKey key = SigningKey.loadOrCreate(file);

    assertThat(key.isPrivate()).isTrue();
    assertThat(key.size()).isEqualTo(2048);
    assertThat(key.getKeyID()).isNotBlank();
    assertThat(file).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    RSAKey stored = RSAKey.parse(Files.readString(file));
    assertThat(stored).isEqualTo(key);
    assertThat(stored.isPrivate()).as("the private part is kept, or nothing could be signed after a restart").isTrue();
  }

  @Test
  void laterStartsReuseTheKeySoIssuedTokensStayValid() throws Exception {
    Path file = dir.resolve("signing-key.json");
    RSAKey first = SigningKey.loadOrCreate(file);
    byte[] written = Files.readAllBytes(file);

    RSAKey again = SigningKey.loadOrCreate(file);

    assertThat(again.getKeyID()).isEqualTo(first.getKeyID());
    assertThat(again.getModulus()).isEqualTo(first.getModulus());
    assertThat(again.getPrivateExponent()).isEqualTo(first.getPrivateExponent());
    assertThat(Files.readAllBytes(file)).as("the file is left as it was").isEqualTo(written);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void eachNewFileGetsItsOwnKey() {
    RSAKey one = SigningKey.loadOrCreate(dir.resolve("one.json"));
    RSAKey other = SigningKey.loadOrCreate(dir.resolve("other.json"));

    assertThat(other.getKeyID()).isNotEqualTo(one.getKeyID());
    assertThat(other.getModulus()).isNotEqualTo(one.getModulus());
  }

  @Test
  void aFileThatIsNotAnRsaJwkIsRefusedWithWhatToDo() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.json"), "not a key");
    Path ecKey = Files.writeString(dir.resolve("ec.json"), new ECKeyGenerator(Curve.P_256).generate().toJSONString());

    for (Path file : new Path[] {garbage, ecKey}) {
      assertThatThrownBy(() -> SigningKey.loadOrCreate(file))
          .as("%s", file)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(file.toAbsolutePath().toString())
          .hasMessageContaining("delete it to have a new one generated");
    }
    assertThat(Files.readString(garbage)).as("never overwritten").isEqualTo("not a key");
  }

  @Test
  void aPlaceWhereNoFileCanBeCreatedFailsNamingIt() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("data"), "a file where the directory should be");
    Path file = notADirectory.resolve("auth/signing-key.json");

    assertThatThrownBy(() -> SigningKey.loadOrCreate(file))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(file.toAbsolutePath().toString());
  }
}
