/** The admin API over the access audit trail ({@code GET /api/admin/audit}). */
package io.dicomflow.upload.audit;
