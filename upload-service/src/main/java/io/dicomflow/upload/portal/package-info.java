/** The web portal: a static page that uploads files and listens for their analyses. */
package io.dicomflow.upload.portal;
