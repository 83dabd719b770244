/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

class DesiredApplierTest {

    private static final ObjectClassDefinition FILTER = Fakes.definition(
            Fakes.attribute("threshold", AttributeDefinition.DOUBLE, 0),
            Fakes.attribute("tags", AttributeDefinition.STRING, 5));

    /** The configuration as it is, null before its first update. */
    private Hashtable<String, Object> stored;
    private final List<String> asked = new ArrayList<>();
    private final List<Map<String, Object>> updates = new ArrayList<>();

    private DesiredApplier applier(ObjectClassDefinition definition) {
        Configuration c = Fakes.fake(Configuration.class, Map.of("getProperties", args -> stored == null ? null
                : new Hashtable<>(stored), "updateIfDifferent", args -> {
                    @SuppressWarnings("unchecked")
                    Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                    Map<String, Object> m = new HashMap<>();
                    for (var keys = d.keys(); keys.hasMoreElements();) {
                        String k = keys.nextElement();
                        m.put(k, d.get(k));
                    }
                    updates.add(m);
                    return true;
                }));
        ConfigurationAdmin cm = Fakes.fake(ConfigurationAdmin.class, Map.of("getConfiguration", args -> {
            asked.add(args[0] + " at " + args[1]);
            return c;
        }));
        return new DesiredApplier(module -> new ModuleConfigurations.Target("org.outpost.filter", definition), cm);
    }

    @Test
    void theDesiredPropertiesReplaceThoseAppliedBeforeAndTheConfigurationsOthersStay() throws Exception {
        stored = new Hashtable<>(Map.of("service.pid", "org.outpost.filter", "threshold", 20.0, "old", 1L,
                "felix.fileinstall.filename", "file:/etc/x.cfg"));

        applier(FILTER).apply("filter", "{\"threshold\": 30, \"$version\": 2}", "{\"threshold\": 20, \"old\": 1,"
                + " \"$version\": 1}");

        assertThat(asked).containsExactly("org.outpost.filter at ?");
        assertThat(updates).containsExactly(Map.of("threshold", 30.0, "felix.fileinstall.filename",
                "file:/etc/x.cfg"));
    }

    @Test
    void aConfigurationThatDoesNotExistYetGetsTheDesiredProperties() throws Exception {
        applier(null).apply("filter", "{\"threshold\": 30, \"tags\": [\"a\"], \"$version\": 1}", "{}");

        assertThat(updates).hasSize(1);
        assertThat(updates.get(0)).containsOnlyKeys("threshold", "tags").containsEntry("threshold", 30L);
        assertThat((String[]) updates.get(0).get("tags")).containsExactly("a");
    }

    @Test
    void desiredPropertiesThatDoNotFitTheDefinitionChangeNothing() {
        assertThatThrownBy(() -> applier(FILTER).apply("filter", "{\"threshold\": \"hot\"}", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("desired.threshold: \"hot\" is not a number");
        assertThatThrownBy(() -> applier(FILTER).apply("filter", "{\"treshold\": 1}", "{}"))
                .hasMessage("desired.treshold: filter's configuration org.outpost.filter has no property 'treshold'"
                        + " (it has tags, threshold)");
        assertThat(asked).isEmpty();
        assertThat(updates).isEmpty();
    }

    @Test
    void aConfigurationTheModuleMayNotHaveIsNotTouched() {
        ConfigurationAdmin cm = Fakes.fake(ConfigurationAdmin.class, Map.of("getConfiguration", args -> {
            asked.add(args[0] + " at " + args[1]);
            return null;
        }));
        DesiredApplier refusing = new DesiredApplier(module -> new ModuleConfigurations.Target("org.outpost.upstream",
                null, "'org.outpost.upstream' is a configuration of the gateway or its platform"), cm);

        assertThatThrownBy(() -> refusing.apply("sneaky", "{\"url\": \"tcp://elsewhere:1883\"}", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sneaky's configuration org.outpost.upstream"
                        + " is not given desired properties: 'org.outpost.upstream' is a configuration of the gateway"
                        + " or its platform");
        assertThat(asked).isEmpty();
    }
}
