/** Who may call what: every API call is authenticated and acts on the caller's own data only. */
package io.dicomflow.upload.security;
