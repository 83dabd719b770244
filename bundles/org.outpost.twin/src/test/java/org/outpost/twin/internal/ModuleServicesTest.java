/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;

class ModuleServicesTest {

    private static ModuleServices services(ServiceObjects<?> objects) {
        return new ModuleServices(Fakes.fake(BundleContext.class, Map.of("getServiceObjects", args -> objects)));
    }

    @Test
    void aServiceIsGotForTheCallOnlyAndUngotAfter() {
        int[] counts = new int[2];
        ServiceReference<StringBuilder> ref = Fakes.reference("m", Map.of());
        ModuleServices s = services(Fakes.objects(new StringBuilder("hello"), counts));

        assertThat(counts).containsExactly(0, 0);
        assertThat(s.call(ref, StringBuilder::length)).isEqualTo(5);
        assertThat(counts).containsExactly(1, 1);
    }

    @Test
    void aServiceIsUngotEvenWhenTheCallFails() {
        int[] counts = new int[2];
        ModuleServices s = services(Fakes.objects("service", counts));

        assertThatThrownBy(() -> s.call(Fakes.<String>reference("m", Map.of()), x -> {
            throw new IllegalArgumentException("bad");
        })).hasMessage("bad");
        assertThat(counts).containsExactly(1, 1);
    }

    @Test
    void aServiceThatIsGoneCannotBeCalled() {
        ModuleServices s = services(null);

        assertThatThrownBy(() -> s.call(Fakes.<String>reference("m", Map.of()), String::length))
                .isInstanceOf(IllegalStateException.class).hasMessage("the module's service is gone");
    }

    @Test
    void aCallIsMeasuredForTheModuleWhoseServiceItCalls() {
        java.util.List<String> measured = new java.util.ArrayList<>();
        ModuleServices s = services(Fakes.objects("service", new int[2]));
        s.measureWith(new org.outpost.api.runtime.ModuleResources() {
            @Override
            public java.util.List<org.outpost.api.runtime.ModuleUsage> usage() {
                return java.util.List.of();
            }

            @Override
            public java.util.Optional<org.outpost.api.runtime.ModuleUsage> usage(String module) {
                return java.util.Optional.empty();
            }

            @Override
            public Measurement measure(String module) {
                measured.add("start " + module);
                return () -> measured.add("end " + module);
            }
        });

        s.call(Fakes.<String>reference("filter", Map.of()), x -> measured.add("call"));
        assertThat(measured).containsExactly("start filter", "call", "end filter");
    }

    @Test
    void aServiceBelongsToTheModuleItsBundleNames() {
        assertThat(ModuleServices.moduleOf(Fakes.reference("temperature-filter", Map.of())))
                .isEqualTo("temperature-filter");
    }

    @Test
    void aServiceOfABundleWithoutAValidModuleIdBelongsToNoModule() {
        assertThat(ModuleServices.moduleOf(Fakes.reference(null, Map.of()))).isNull();
        assertThat(ModuleServices.moduleOf(Fakes.reference("not a module!", Map.of()))).isNull();
    }
}
