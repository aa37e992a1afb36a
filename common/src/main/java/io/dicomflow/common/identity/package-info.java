/**
 * Who the caller is. Every service is an OAuth2 resource server: it trusts JWTs signed by the configured
 * issuer (a JWK set URL, an issuer's discovery document, or one public key), for the configured audience. The
 * token's subject is the user id that owns uploads, results and events; its {@code roles} claim gives
 * {@code uploader}, {@code user} or {@code admin}. The user directory only adds what tokens do not carry to
 * every consumer: where a user's notification emails go.
 */
package io.dicomflow.common.identity;
