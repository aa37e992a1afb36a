package io.dicomflow.infra;

import java.nio.file.Path;

/** Started as a separate JVM by {@link DurableInfrastructureIT}: writes data in durable mode, then waits to be killed. */
public final class DurableChild {

    static final String READY = "DURABLE-CHILD-READY";

    private DurableChild() {
    }

    public static void main(String[] args) throws Exception {
        Infrastructure infra = Infrastructure.start(InfraOptions.standalone(Path.of(args[0])));
        DurableInfrastructureIT.writeRow(infra.springProperties());
        DurableInfrastructureIT.writeObjectAndMessage(infra.springProperties());
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
