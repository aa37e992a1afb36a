/**
 * The access audit trail: who read or changed which upload, image, result or element, when, from where and
 * with what answer. Rows in the append-only {@code access_audit} table and lines of the {@code dicomflow.audit}
 * logger; never a patient value (routes are matched patterns, resources are the ids in the path).
 */
package io.dicomflow.common.audit;
