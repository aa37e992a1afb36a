/**
 * Upload sessions: a client declares the files it will send, sends them in any number of requests and
 * commits; the commit yields exactly one {@code UploadCompleted} event once every declared file is stored, so
 * completion is known rather than guessed from timeouts.
 */
package io.dicomflow.upload.session;
