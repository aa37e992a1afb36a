/** Per-owner storage usage against the per-user quota, for admins ({@code GET /api/admin/quotas}). */
package io.dicomflow.upload.quota;
