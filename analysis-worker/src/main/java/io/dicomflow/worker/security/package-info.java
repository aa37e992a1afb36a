/** Who may call the worker's HTTP endpoints: operators (ROLE_ADMIN) for the admin API, anyone for health. */
package io.dicomflow.worker.security;
