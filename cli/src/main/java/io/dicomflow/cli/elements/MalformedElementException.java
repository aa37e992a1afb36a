package io.dicomflow.cli.elements;

/** An element that cannot be processed; the message says which field is wrong and how. */
public final class MalformedElementException extends RuntimeException {

    public MalformedElementException(String reason) {
        super(reason);
    }
}
