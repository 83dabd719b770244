/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/** The hub's REST API and dashboard (not exported). */
package org.outpost.hub.web.internal;
