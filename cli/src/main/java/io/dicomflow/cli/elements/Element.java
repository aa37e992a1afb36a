package io.dicomflow.cli.elements;

/**
 * One element of the brief's element file, its data strings already split into integers.
 *
 * @param key        the key of the element in the file's top-level object ("1", "2", ...)
 * @param deviceName may be {@code null}: the field is optional
 * @param values     every integer of every data string, in order
 */
public record Element(String key, String id, String deviceName, long[] values) {
}
