package io.dicomflow.standalone;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Everything the JVM logs while it is open: every Logback event of every service (message with its
 * arguments, MDC, key-value pairs and the whole exception chain with its messages) with the product's own
 * loggers at DEBUG, plus whatever is written to {@code System.out}/{@code System.err} directly (libraries
 * that bypass SLF4J). Closing it restores the levels and the streams.
 */
final class LogCapture implements AutoCloseable {

	private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

	private final Logger root;

	private final Logger product;

	private final Level productLevel;

	private final AppenderBase<ILoggingEvent> appender;

	private final PrintStream out;

	private final PrintStream err;

	private final ByteArrayOutputStream console = new ByteArrayOutputStream();

	private LogCapture() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		this.product = context.getLogger("io.dicomflow");
		this.productLevel = this.product.getLevel();
		this.appender = new AppenderBase<>() {
			@Override
			protected void append(ILoggingEvent event) {
				LogCapture.this.lines.add(render(event));
			}
		};
		this.appender.setContext(context);
		this.appender.setName("phi-log-capture");
		this.appender.start();
		this.root.addAppender(this.appender);
		this.product.setLevel(Level.DEBUG);
		this.out = System.out;
		this.err = System.err;
		System.setOut(tee(this.out));
		System.setErr(tee(this.err));
	}

	static LogCapture start() {
		return new LogCapture();
	}

	/** Every captured event and console line so far. */
	List<String> lines() {
		List<String> all = new ArrayList<>(this.lines);
		synchronized (this.console) {
			all.addAll(List.of(this.console.toString(StandardCharsets.UTF_8).split("\n")));
		}
		return all;
	}

	@Override
	public void close() {
		System.setOut(this.out);
		System.setErr(this.err);
		this.root.detachAppender(this.appender);
		this.appender.stop();
		this.product.setLevel(this.productLevel);
	}

	private PrintStream tee(PrintStream original) {
		OutputStream both = new OutputStream() {
			@Override
			public void write(int b) {
				original.write(b);
				synchronized (LogCapture.this.console) {
					LogCapture.this.console.write(b);
				}
			}

			@Override
			public void write(byte[] b, int off, int len) {
				original.write(b, off, len);
				synchronized (LogCapture.this.console) {
					LogCapture.this.console.write(b, off, len);
				}
			}

			@Override
			public void flush() {
				original.flush();
			}
		};
		return new PrintStream(both, true, StandardCharsets.UTF_8);
	}

	private static String render(ILoggingEvent event) {
		StringBuilder line = new StringBuilder();
		line.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" [")
			.append(event.getThreadName()).append("] ").append(event.getFormattedMessage());
		Map<String, String> mdc = event.getMDCPropertyMap();
		if (mdc != null && !mdc.isEmpty()) {
			line.append(" mdc=").append(mdc);
		}
		if (event.getKeyValuePairs() != null) {
			event.getKeyValuePairs().forEach((pair) -> line.append(' ').append(pair.key).append('=').append(pair.value));
		}
		if (event.getThrowableProxy() != null) {
			line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
		}
		return line.toString();
	}

}
