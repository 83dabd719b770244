/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;

class TwinAdapterTest {

    private final Fakes.Twins twins = new Fakes.Twins();
    private final TwinAdapter adapter = new TwinAdapter(twins, () -> "gw1");
    private final Identity filter = Identity.module("gw1", "filter");

    @Test
    void aTwinGetAnswersTheGatewaysCopyOrAnEmptyTwinForAModuleThatHasNoneYet() {
        twins.twins.put("filter", "{\"desired\":{\"t\":30,\"$version\":4},\"reported\":{\"$version\":2}}");

        TwinDocument twin = adapter.twin(filter);

        assertThat(twin.desiredVersion()).isEqualTo(4);
        assertThat(twin.desired()).contains("\"t\":30");
        assertThat(adapter.twin(Identity.module("gw1", "fresh"))).isEqualTo(TwinDocument.empty());
    }

    @Test
    void aReportedPatchIsStoredAndARefusedOneIsATwinErrorSayingWhy() {
        twins.twins.put("filter", "{\"desired\":{\"$version\":1},\"reported\":{\"$version\":1}}");

        TwinDocument after = adapter.patchReported(filter, "{\"ok\":true}");

        assertThat(twins.reported).containsExactly("filter {\"ok\":true}");
        assertThat(after.reportedVersion()).isEqualTo(2);
        assertThatThrownBy(() -> adapter.patchReported(filter, "{\"bad\":1}")).isInstanceOf(TwinException.class)
                .hasMessage("reported: reported.bad: is over a twin limit");
    }

    @Test
    void desiredChangesGoToTheModuleWithTheirVersionUntilStopped() {
        List<String> sent = new CopyOnWriteArrayList<>();
        Subscription s = adapter.onDesiredPatch((identity, version, patch) -> sent.add(identity + " " + version + " "
                + patch));

        twins.listeners.forEach(l -> l.desiredChanged("filter", "{\"t\":31}", 5));
        s.close();
        twins.listeners.forEach(l -> l.desiredChanged("filter", "{\"t\":32}", 6));

        assertThat(sent).containsExactly("gw1/filter 5 {\"t\":31,\"$version\":5}");
        assertThat(twins.listeners).isEmpty();
    }

    @Test
    void onlyThisGatewaysModulesHaveTwinsHere() {
        assertThatThrownBy(() -> adapter.twin(Identity.device("gw1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gw1 is not a module of this gateway; it has no twin here");
        assertThatThrownBy(() -> adapter.twin(Identity.module("gw2", "filter"))).hasMessageContaining("gw2/filter");
    }
}
