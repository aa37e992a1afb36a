/**
 * The embedded OAuth2 authorization server of standalone mode (Spring Authorization Server): it signs the demo
 * users' tokens, so the services run exactly as in production, as resource servers trusting an issuer.
 */
package io.dicomflow.standalone.auth;
