/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.deploy;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import org.apache.felix.fileinstall.ArtifactUrlTransformer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.url.URLStreamHandlerService;
import org.outpost.camel.modules.api.RouteBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the route files in {@code deploy/} ({@code <module>.camel.yaml}, {@code .camel.yml}, {@code .camel.xml}) for
 * fileinstall, as Karaf's blueprint and features deployers take their files: each becomes the bundle at
 * {@code outpost-routes:file:...} ({@link RouteUrlHandler}), which fileinstall installs, updates when the file changes
 * and uninstalls when it is deleted. A file whose name is no module id, or that names a module another bundle is
 * (a bundle module, a deployment's camel module, a route file elsewhere), is not installed and the log says why.
 * <p>
 * fileinstall asks its listeners in order of service ranking: below the runtime's refused-jars installer (100), which
 * claims route files whose name is no module id, and above Karaf's own deployers (0).
 */
@Component(service = ArtifactUrlTransformer.class, property = Constants.SERVICE_RANKING + ":Integer=50")
public final class RouteFileTransformer implements ArtifactUrlTransformer {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileTransformer.class);

    private final BundleContext context;

    /** The URL handler is referenced so that {@code outpost-routes:} URLs can be opened before any is handed out. */
    @Activate
    public RouteFileTransformer(BundleContext context, @Reference(target = "(" + "url.handler.protocol="
            + RouteUrlHandler.PROTOCOL + ")") URLStreamHandlerService handler) {
        this.context = context;
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.isFile() && RouteFiles.isRouteFile(artifact.getName());
    }

    @Override
    public URL transform(URL artifact) throws Exception {
        Path file = Path.of(URI.create(artifact.toString()));
        String why = refusal(file, location(artifact));
        if (why != null) {
            LOG.error("{} was not installed: {}", file, why);
            return null;
        }
        LOG.info("{} is route module {}", file, RouteFiles.moduleName(file.getFileName().toString()));
        return new URL(RouteUrlHandler.PROTOCOL, null, artifact.toString());
    }

    /** @return the location of the bundle made from the route file at {@code artifact} */
    static String location(URL artifact) {
        return RouteUrlHandler.PROTOCOL + ":" + artifact;
    }

    /** @return why the route file at {@code location} is not installed, or null if it is */
    String refusal(Path file, String location) {
        String name = file.getFileName().toString();
        Optional<String> invalid = RouteFiles.invalidName(name);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        String module = RouteFiles.moduleName(name);
        Bundle other = Arrays.stream(context.getBundles()).filter(b -> !b.getLocation().equals(location))
                .filter(b -> module.equals(b.getHeaders("").get(RouteBundle.MODULE_HEADER))
                        || (RouteBundle.SYMBOLIC_NAME_PREFIX + module).equals(b.getSymbolicName()))
                .findFirst().orElse(null);
        if (other == null) {
            return null;
        }
        return "module " + module + " is bundle " + other.getBundleId() + " already (" + other.getLocation()
                + "): a module id is unique on the gateway. Rename the file, or remove that module first (a"
                + " deployment's module through a deployment)";
    }
}
