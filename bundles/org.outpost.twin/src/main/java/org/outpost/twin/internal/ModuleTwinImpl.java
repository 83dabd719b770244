/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.ComponentException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.module.ModuleTwin;

/** One {@link ModuleTwin} per module bundle, bound to the module id in its {@value EdgeModule#HEADER} header. */
@Component(service = ModuleTwin.class, scope = ServiceScope.BUNDLE)
public final class ModuleTwinImpl implements ModuleTwin {

    private final ModuleTwins twins;
    private final String moduleId;

    @Activate
    public ModuleTwinImpl(@Reference ModuleTwins twins, ComponentContext context) {
        this.twins = twins;
        Bundle user = context.getUsingBundle();
        String id = user == null ? null : user.getHeaders("").get(EdgeModule.HEADER);
        if (!ModuleNames.isValid(id)) {
            throw new ComponentException("Bundle " + (user == null ? "?" : user.getSymbolicName())
                    + " asked for a ModuleTwin but declares no valid module id: add @EdgeModule(\"my-module\")"
                    + " (manifest header " + EdgeModule.HEADER + ")");
        }
        this.moduleId = id;
    }

    @Override
    public String moduleId() {
        return moduleId;
    }

    @Override
    public String desired() {
        return twins.document(moduleId).desired();
    }

    @Override
    public String reported() {
        return twins.document(moduleId).reported();
    }

    @Override
    public long patchReported(String patchJson) {
        return twins.reported(moduleId, patchJson);
    }
}
