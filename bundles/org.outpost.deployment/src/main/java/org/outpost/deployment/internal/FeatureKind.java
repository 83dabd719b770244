/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.deployment.spi.Undo;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ModuleSpec;

/**
 * Feature modules: a Karaf feature from the deployment's feature repositories (remote provisioning), installed with
 * Karaf's feature service; its module bundle (the one that declares the module id) is what runs the module.
 */
@Component(service = ModuleKind.class, property = ModuleKind.KIND + "=feature")
public final class FeatureKind implements ModuleKind {

    private final BundleContext context;
    private final EdgeRuntime runtime;
    private volatile FeaturesService features;

    @Activate
    public FeatureKind(BundleContext context, @Reference EdgeRuntime runtime) {
        this.context = context;
        this.runtime = runtime;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindFeatures(FeaturesService service) {
        this.features = service;
    }

    void unbindFeatures(FeaturesService service) {
        if (features == service) {
            features = null;
        }
    }

    /** Adds the deployment's feature repositories and checks that its features resolve, without installing them. */
    @Override
    public String prepare(List<ModuleSpec> modules, DeploymentManifest deployment, Undo undo) throws Exception {
        FeaturesService f = features;
        if (f == null) {
            return "400 modulesContent.$edgeAgent.properties.desired.modules." + modules.get(0).name()
                    + ": feature modules need Karaf's feature service, which is not running";
        }
        for (String repository : deployment.featureRepositories()) {
            URI uri = URI.create(repository);
            if (f.getRepository(uri) == null) {
                f.addRepository(uri, false);
                undo.push("remove feature repository " + repository, () -> f.removeRepository(uri));
            }
        }
        Set<String> wanted = new LinkedHashSet<>();
        modules.forEach(s -> wanted.add(featureId(s)));
        try {
            f.installFeatures(wanted, EnumSet.of(FeaturesService.Option.Simulate,
                    FeaturesService.Option.NoAutoRefreshBundles));
            return null;
        } catch (Exception e) {
            return "400 modulesContent.$edgeAgent.properties.desired.modules: features " + wanted
                    + " do not resolve: " + e.getMessage();
        }
    }

    static String featureId(ModuleSpec s) {
        return s.featureVersion() == null ? s.feature() : s.feature() + "/" + s.featureVersion();
    }

    /** Installs the feature, which starts its bundles whatever the module's desired status. */
    @Override
    public boolean install(ModuleSpec spec) throws Exception {
        service().installFeature(featureId(spec), EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        return true;
    }

    @Override
    public void remove(ModuleSpec spec) throws Exception {
        FeaturesService f = service();
        if (f.isInstalled(f.getFeature(spec.feature(), spec.featureVersion()))) {
            f.uninstallFeature(spec.feature(), spec.featureVersion() == null ? null : spec.featureVersion(),
                    EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
    }

    @Override
    public void setRunning(ModuleSpec spec, boolean running) {
        throw new IllegalStateException("module " + spec.name() + ": only bundle modules can be stopped and"
                + " started yet");
    }

    @Override
    public boolean restart(ModuleSpec spec) throws Exception {
        ModuleInfo info = runtime.module(spec.name()).orElse(null);
        Bundle b = info == null ? null : context.getBundle(info.bundleId());
        if (b == null) {
            return install(spec);
        }
        BundleKind.restart(b);
        return true;
    }

    @Override
    public ModuleInfo info(ModuleSpec spec) {
        return runtime.module(spec.name()).orElse(null);
    }

    private FeaturesService service() {
        return Objects.requireNonNull(features, "Karaf's feature service is not running");
    }
}
