/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/** The hub's web dashboard (not exported); the REST API is in the api subpackage. */
package org.outpost.hub.web.internal;
