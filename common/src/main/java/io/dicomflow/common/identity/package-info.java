/**
 * Who the users are. At this stage a configured user directory (HTTP Basic for the REST API, the same
 * credentials at STOMP CONNECT); the owner of every upload, result and event is the user's name.
 */
package io.dicomflow.common.identity;
