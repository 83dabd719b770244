/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.deployment.spi.Undo;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ModuleSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feature modules: a Karaf feature from the deployment's feature repositories (remote provisioning), installed with
 * Karaf's feature service; its module bundle (the one that declares the module id) is what runs the module.
 * <p>
 * It touches only features it installed ({@link Installed}): a deployment naming a feature the gateway has already
 * (its own {@code outpost}, a sample's) is refused before anything changes, so that removing the module later cannot
 * uninstall it.
 * <p>
 * An {@code https:} feature repository is first fetched here with the deployment's timeouts ({@link Downloads}): one
 * that does not answer fails the deployment with the location and the timeout, before Karaf's feature service (which
 * opens URLs without timeouts of its own; the distribution's {@code bin/setenv} gives the JVM defaults) reads it.
 */
@Component(service = ModuleKind.class, property = ModuleKind.KIND + "=feature",
        configurationPid = DeploymentService.PID)
public final class FeatureKind implements ModuleKind {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    private final BundleContext context;
    private final EdgeRuntime runtime;
    private final Installed installed;
    private volatile Downloads downloads;
    private volatile FeaturesService features;

    @Activate
    public FeatureKind(BundleContext context, @Reference EdgeRuntime runtime, DeploymentConfig config) {
        this(context, runtime, new Installed(data(context).resolve("installed-features")), Downloads.of(data(context)
                .resolve("downloads"), config));
    }

    FeatureKind(BundleContext context, EdgeRuntime runtime, Installed installed, Downloads downloads) {
        this.context = context;
        this.runtime = runtime;
        this.installed = installed;
        this.downloads = downloads;
    }

    @Modified
    void modified(DeploymentConfig config) {
        this.downloads = Downloads.of(data(context).resolve("downloads"), config);
    }

    private static Path data(BundleContext context) {
        return Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data"), "outpost", "deployment");
    }

    /** @return whether the module's feature is installed now (by anyone) */
    private static boolean isInstalled(FeaturesService f, ModuleSpec spec) throws Exception {
        Feature feature = f.getFeature(spec.feature(), spec.featureVersion());
        return feature != null && f.isInstalled(feature);
    }

    private boolean ours(ModuleSpec spec) {
        return installed.has(featureId(spec), "installed");
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
                if (Downloads.fetches(repository)) {
                    // Fails the deployment (rolled back) with the location and the timeout if it does not answer.
                    Files.deleteIfExists(downloads.fetch(repository));
                }
                f.addRepository(uri, false);
                undo.push("remove feature repository " + repository, () -> f.removeRepository(uri));
            }
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (ModuleSpec s : modules) {
            if (!ours(s) && isInstalled(f, s)) {
                return "400 modulesContent.$edgeAgent.properties.desired.modules." + s.name() + ".settings.feature:"
                        + " feature " + featureId(s) + " is installed, but not by a deployment, and a deployment"
                        + " touches only features it installed: name a feature of the module's own";
            }
            wanted.add(featureId(s));
        }
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
        FeaturesService f = service();
        if (!ours(spec) && isInstalled(f, spec)) {
            throw new IllegalStateException("feature " + featureId(spec) + " is installed, but not by a deployment,"
                    + " and a deployment touches only features it installed");
        }
        installed.add(featureId(spec), "installed");
        f.installFeature(featureId(spec), EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        return true;
    }

    /** Uninstalls the module's feature if a deployment installed it; leaves any other alone. */
    @Override
    public void remove(ModuleSpec spec) throws Exception {
        FeaturesService f = service();
        if (!ours(spec)) {
            LOG.warn("Module {}: leaving feature {} as it is: no deployment installed it", spec.name(),
                    featureId(spec));
            return;
        }
        if (isInstalled(f, spec)) {
            f.uninstallFeature(spec.feature(), spec.featureVersion() == null ? null : spec.featureVersion(),
                    EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        installed.remove(featureId(spec));
    }

    /**
     * The gateway started with this module deployed: its feature, if it is installed, is taken as installed by the
     * deployment (it was, by a gateway that did not keep that record yet).
     */
    @Override
    public boolean resume(ModuleSpec spec) {
        FeaturesService f = features;
        try {
            if (f != null && !ours(spec) && isInstalled(f, spec)) {
                installed.add(featureId(spec), "installed");
            }
        } catch (Exception e) {
            LOG.warn("Module {}: {}", spec.name(), e.getMessage());
        }
        return false;
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
