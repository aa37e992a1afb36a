/**
 * What every service's HTTP side shares beyond security: request size limits.
 */
package io.dicomflow.common.web;
