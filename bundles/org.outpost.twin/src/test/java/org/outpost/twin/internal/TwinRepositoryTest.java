/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;

class TwinRepositoryTest {

    @TempDir
    Path dir;

    private static StoredTwin twin(String desired, long version) {
        TwinDocument d = TwinDocument.empty().withDesired(desired, version, TwinLimits.IOT_HUB)
                .patchReported("{\"r\": 1}", TwinLimits.IOT_HUB);
        return new StoredTwin(d, "{\"a\":1}", version - 1);
    }

    @Test
    void aSavedTwinIsReadBackWhenTheGatewayStartsAgain() throws Exception {
        StoredTwin t = twin("{\"a\": 2}", 5);
        new TwinRepository(dir).save("filter", t);

        TwinRepository again = new TwinRepository(dir);

        assertThat(again.modules()).containsExactly("filter");
        assertThat(again.has("filter")).isTrue();
        assertThat(again.get("filter").twin()).isEqualTo(t.twin());
        assertThat(again.get("filter").applied()).isEqualTo("{\"a\":1}");
        assertThat(again.get("filter").appliedVersion()).isEqualTo(4);
    }

    @Test
    void eachTwinIsOneFileWithTheTwinTheAppliedPropertiesAndTheirVersionAndNoTemporaryFileStays() throws Exception {
        TwinRepository r = new TwinRepository(dir.resolve("twins"));
        r.save("filter", twin("{\"a\": 2}", 5));

        JsonNode file = new ObjectMapper().readTree(Files.readString(dir.resolve("twins/filter.json")));
        assertThat(file.path("twin").path("desired").path("a").asInt()).isEqualTo(2);
        assertThat(file.path("applied").toString()).isEqualTo("{\"a\":1}");
        assertThat(file.path("appliedVersion").asLong()).isEqualTo(4);
        try (var files = Files.list(dir.resolve("twins"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("filter.json");
        }
    }

    @Test
    void aModuleWithoutATwinHasAnEmptyOne() throws Exception {
        TwinRepository r = new TwinRepository(dir);

        assertThat(r.has("filter")).isFalse();
        assertThat(r.get("filter")).isEqualTo(StoredTwin.empty());
    }

    @Test
    void aTwinFileThatCannotBeReadLeavesItsModuleEmptyAndTheOthersAreRead() throws Exception {
        new TwinRepository(dir).save("good", twin("{}", 1));
        Files.writeString(dir.resolve("broken.json"), "{not json");

        TwinRepository r = new TwinRepository(dir);

        assertThat(r.modules()).containsExactly("good");
        assertThat(r.get("broken")).isEqualTo(StoredTwin.empty());
    }

    @Test
    void filesThatAreNotModuleTwinsAreIgnored() throws Exception {
        Files.writeString(dir.resolve("Not A Module!.json"), "{}");
        Files.writeString(dir.resolve("notes.txt"), "{}");
        Files.writeString(dir.resolve("filter.json.tmp"), "{}");

        assertThat(new TwinRepository(dir).modules()).isEmpty();
    }

    @Test
    void aTwinThatCannotBeStoredIsNotKeptEither() throws Exception {
        TwinRepository r = new TwinRepository(dir);
        StoredTwin before = twin("{}", 1);
        r.save("filter", before);
        Files.delete(dir.resolve("filter.json"));
        Files.createDirectories(dir.resolve("filter.json").resolve("in-the-way"));

        assertThatThrownBy(() -> r.save("filter", twin("{\"a\": 3}", 2))).isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot store the twin of filter in " + dir);
        assertThat(r.get("filter")).isEqualTo(before);
    }
}
