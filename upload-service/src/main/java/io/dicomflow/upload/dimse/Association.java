package io.dicomflow.upload.dimse;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import io.dicomflow.common.dicom.TransferSyntax;
import io.dicomflow.common.dicom.net.AssociateAccept;
import io.dicomflow.common.dicom.net.AssociateRequest;
import io.dicomflow.common.dicom.net.CommandSet;
import io.dicomflow.common.dicom.net.FileMetaInformation;
import io.dicomflow.common.dicom.net.Negotiation;
import io.dicomflow.common.dicom.net.Pdu;
import io.dicomflow.common.dicom.net.PduException;
import io.dicomflow.common.dicom.net.Pdv;
import io.dicomflow.common.events.Traceparent;
import io.dicomflow.upload.upload.FileOutcome;
import io.dicomflow.upload.upload.Upload;
import io.dicomflow.upload.validation.RejectionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One association, from A-ASSOCIATE-RQ to A-RELEASE or A-ABORT, on the thread that runs it (PS3.8 9.2 state
 * machine, acceptor side). It is one upload of the calling AE's user: opened with the first C-STORE, completed
 * (one {@code UploadCompleted}) when the association ends. An aborted or broken association completes it too:
 * the instances it stored were answered with Success and are kept, like the files of an HTTP request that broke
 * off. Each instance is ingested before the next PDU is read, so a saturated ingest slows the sender through TCP
 * flow control; an overloaded pipeline answers {@code A700} like HTTP answers 503.
 */
final class Association implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(Association.class);

	static final String VERIFICATION = "1.2.840.10008.1.1";

	/** The storage SOP classes of PS3.4 B.5 (and of later supplements) are all under this root. */
	static final String STORAGE_ROOT = "1.2.840.10008.5.1.4.1.1.";

	private final Socket socket;

	private final StorageScp scp;

	private final DimseProperties config;

	private final String traceRoot = Traceparent.newRoot();

	private InputStream in;

	private OutputStream out;

	private AssociateRequest request;

	private String owner;

	private final Map<Integer, AssociateAccept.AcceptedContext> accepted = new HashMap<>();

	/** The command being reassembled from fragments, and its context. */
	private final ByteArrayOutputStream command = new ByteArrayOutputStream();

	private int commandContext = -1;

	/** The message whose dataset is arriving, or null. */
	private Incoming incoming;

	private Upload upload;

	private int stored;

	Association(Socket socket, StorageScp scp) {
		this.socket = socket;
		this.scp = scp;
		this.config = scp.config();
	}

	/**
	 * A command whose dataset is being received: spooled for a C-STORE to store, dropped otherwise.
	 *
	 * @param contextId the presentation context of command and dataset
	 * @param command the request
	 * @param instance where a C-STORE's dataset goes, or null to drop the dataset
	 * @param refusal the status to answer instead of storing, or null
	 */
	private record Incoming(int contextId, CommandSet command, ReceivedInstance instance, StoreStatus refusal) {
	}

	/**
	 * The TLS handshake, on this association's thread and within the ARTIM timeout (set before), so a peer that
	 * never finishes it holds up only itself. A failure (untrusted or missing client certificate, no common
	 * protocol, a plain DICOM peer) is logged with the peer's address and the reason, which holds no patient data.
	 */
	private static boolean handshake(SSLSocket tls, String peer) throws IOException {
		try {
			tls.startHandshake();
			log.debug("DIMSE TLS from {}: {} {}", peer, tls.getSession().getProtocol(),
					tls.getSession().getCipherSuite());
			return true;
		}
		catch (SocketTimeoutException ex) {
			log.warn("DIMSE TLS handshake with {} failed: ARTIM timer expired", peer);
			return false;
		}
		catch (javax.net.ssl.SSLException ex) {
			log.warn("DIMSE TLS handshake with {} failed: {}", peer, ex.getMessage());
			return false;
		}
	}

	@Override
	public void run() {
		String peer = this.socket.getRemoteSocketAddress().toString();
		// not try-with-resources: its catch clauses would run after the close, too late to send an A-ABORT
		Socket s = this.socket;
		try {
			s.setTcpNoDelay(true);
			s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, this.config.artimTimeout().toMillis()));
			if (s instanceof SSLSocket tls && !handshake(tls, peer)) {
				return;
			}
			this.in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
			this.out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
			if (!associate(peer)) {
				return;
			}
			try {
				s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, this.config.idleTimeout().toMillis()));
				serve();
			}
			finally {
				this.scp.leave(this.request.callingAe());
			}
		}
		catch (PduException ex) {
			log.warn("DIMSE association from {} aborted: {}", peer, ex.getMessage());
			abort(ex.reason());
		}
		catch (SocketTimeoutException ex) {
			log.warn("DIMSE association from {} aborted: {} timer expired", peer,
					(this.request == null) ? "ARTIM" : "idle");
			abort(PduException.NOT_SPECIFIED);
		}
		catch (IOException ex) {
			log.info("DIMSE association from {} broke off: {}", peer, ex.toString());
		}
		catch (RuntimeException ex) {
			log.error("DIMSE association from {} failed", peer, ex);
			abort(PduException.NOT_SPECIFIED);
		}
		finally {
			if (this.incoming != null && this.incoming.instance() != null) {
				this.incoming.instance().close();
			}
			complete();
			try {
				s.close();
			}
			catch (IOException ex) {
				// closed anyway
			}
		}
	}

	/** Reads the A-ASSOCIATE-RQ and answers it; true when accepted. */
	private boolean associate(String peer) throws IOException, PduException {
		Pdu pdu = Pdu.read(this.in, this.config.maxPduLength(), null);
		if (pdu == null) {
			return false;
		}
		if (pdu.type() != Pdu.ASSOCIATE_RQ) {
			throw new PduException(PduException.UNEXPECTED_PDU, "PDU type " + pdu.type() + " before association");
		}
		AssociateRequest rq = AssociateRequest.decode(pdu.body(), pdu.length());
		if (!AssociateRequest.DICOM_APPLICATION_CONTEXT.equals(rq.applicationContext())) {
			return reject(peer, rq, 1, 1, 2, "application context " + rq.applicationContext() + " not supported");
		}
		String user = this.config.owners().get(rq.callingAe());
		if (user == null) {
			return reject(peer, rq, 1, 1, 3, "calling AE not recognized");
		}
		if (!this.config.aeTitle().strip().equals(rq.calledAe())) {
			return reject(peer, rq, 1, 1, 7, "called AE not recognized");
		}
		if (!this.scp.enter(rq.callingAe())) {
			// transient, service provider (presentation), local limit exceeded
			return reject(peer, rq, 2, 3, 2, "association limit reached");
		}
		this.request = rq;
		this.owner = user;
		List<AssociateAccept.AcceptedContext> answers = Negotiation.answer(rq.contexts(), Association::supported,
				(uid) -> TransferSyntax.of(uid).isKnown());
		answers.stream().filter(AssociateAccept.AcceptedContext::accepted).forEach((c) -> this.accepted.put(c.id(), c));
		this.out.write(new AssociateAccept(rq.calledAe(), rq.callingAe(), answers, this.config.maxPduLength(),
				FileMetaInformation.IMPLEMENTATION_CLASS_UID, FileMetaInformation.IMPLEMENTATION_VERSION)
			.encode());
		this.out.flush();
		log.info("DIMSE association from {} ({} -> {}) accepted as {}: {} of {} presentation contexts", peer,
				rq.callingAe(), rq.calledAe(), user, this.accepted.size(), answers.size());
		return true;
	}

	static boolean supported(String abstractSyntax) {
		return VERIFICATION.equals(abstractSyntax)
				|| (abstractSyntax.startsWith(STORAGE_ROOT) && abstractSyntax.length() > STORAGE_ROOT.length());
	}

	private boolean reject(String peer, AssociateRequest rq, int result, int source, int reason, String why)
			throws IOException {
		log.warn("DIMSE association from {} ({} -> {}) rejected: {}", peer, rq.callingAe(), rq.calledAe(), why);
		this.out.write(Pdu.reject(result, source, reason));
		this.out.flush();
		return false;
	}

	private void serve() throws IOException, PduException {
		byte[] buffer = new byte[this.config.maxPduLength()];
		while (true) {
			Pdu pdu = Pdu.read(this.in, this.config.maxPduLength(), buffer);
			if (pdu == null) {
				log.info("DIMSE association of {} closed without A-RELEASE", this.request.callingAe());
				return;
			}
			switch (pdu.type()) {
				case Pdu.P_DATA_TF -> {
					for (Pdv pdv : Pdv.split(pdu.body(), pdu.length())) {
						pdv(pdv);
					}
				}
				case Pdu.RELEASE_RQ -> {
					if (this.incoming != null || this.commandContext != -1) {
						throw new PduException(PduException.UNEXPECTED_PDU, "A-RELEASE-RQ inside a message");
					}
					complete();
					this.out.write(Pdu.release(Pdu.RELEASE_RP));
					this.out.flush();
					log.info("DIMSE association of {} released: {} instances stored", this.request.callingAe(),
							this.stored);
					return;
				}
				case Pdu.ABORT -> {
					log.info("DIMSE association of {} aborted by the peer", this.request.callingAe());
					return;
				}
				default -> throw new PduException(PduException.UNEXPECTED_PDU, "PDU type " + pdu.type()
						+ " on an established association");
			}
		}
	}

	private void pdv(Pdv pdv) throws IOException, PduException {
		AssociateAccept.AcceptedContext context = this.accepted.get(pdv.contextId());
		if (context == null) {
			throw new PduException(PduException.INVALID_PARAMETER, "PDV on presentation context " + pdv.contextId()
					+ ", which is not accepted");
		}
		if (pdv.command()) {
			if (this.incoming != null) {
				throw new PduException(PduException.UNEXPECTED_PDU, "command fragment while a dataset is expected");
			}
			if (this.commandContext != -1 && this.commandContext != pdv.contextId()) {
				throw new PduException(PduException.INVALID_PARAMETER, "command fragments on two contexts");
			}
			if (this.command.size() + pdv.length() > CommandSet.MAX_LENGTH) {
				throw new PduException(PduException.INVALID_PARAMETER, "command set over " + CommandSet.MAX_LENGTH
						+ " bytes");
			}
			this.commandContext = pdv.contextId();
			this.command.write(pdv.body(), pdv.offset(), pdv.length());
			if (pdv.last()) {
				byte[] bytes = this.command.toByteArray();
				this.command.reset();
				this.commandContext = -1;
				command(context, CommandSet.decode(bytes, bytes.length));
			}
			return;
		}
		if (this.incoming == null || this.incoming.contextId() != pdv.contextId()) {
			throw new PduException(PduException.UNEXPECTED_PDU, "dataset fragment without its command");
		}
		if (this.incoming.instance() != null) {
			this.incoming.instance().write(pdv.body(), pdv.offset(), pdv.length());
		}
		if (pdv.last()) {
			Incoming message = this.incoming;
			this.incoming = null;
			datasetReceived(context, message);
		}
	}

	private void command(AssociateAccept.AcceptedContext context, CommandSet rq) throws IOException, PduException {
		int field = rq.uint16(CommandSet.COMMAND_FIELD);
		int messageId = rq.uint16(CommandSet.MESSAGE_ID);
		int dataSetType = rq.uint16(CommandSet.COMMAND_DATA_SET_TYPE);
		if (field < 0 || messageId < 0 || dataSetType < 0 || (field & 0x8000) != 0) {
			throw new PduException(PduException.INVALID_PARAMETER, "not a request command set");
		}
		boolean withDataSet = dataSetType != CommandSet.NO_DATA_SET;
		if (field == CommandSet.C_ECHO_RQ && !withDataSet) {
			respond(context.id(), rq, CommandSet.C_ECHO_RSP, new StoreStatus(StoreStatus.SUCCESS, null));
			return;
		}
		if (field != CommandSet.C_STORE_RQ) {
			StoreStatus refusal = new StoreStatus(StoreStatus.UNRECOGNIZED_OPERATION,
					"only C-ECHO and C-STORE are performed");
			if (withDataSet) {
				this.incoming = new Incoming(context.id(), rq, null, refusal);
			}
			else {
				respond(context.id(), rq, field | 0x8000, refusal);
			}
			return;
		}
		if (!withDataSet) {
			throw new PduException(PduException.INVALID_PARAMETER, "C-STORE-RQ without a dataset");
		}
		String sopClass = rq.string(CommandSet.AFFECTED_SOP_CLASS_UID);
		String sopInstance = rq.string(CommandSet.AFFECTED_SOP_INSTANCE_UID);
		if (sopClass == null || !sopClass.equals(context.abstractSyntax())) {
			this.incoming = new Incoming(context.id(), rq, null, new StoreStatus(StoreStatus.SOP_CLASS_NOT_SUPPORTED,
					"SOP class is not the presentation context's"));
			return;
		}
		if (sopInstance == null || !sopInstance.matches("[0-9.]{1,64}")) {
			this.incoming = new Incoming(context.id(), rq, null,
					StoreStatus.of(RejectionCode.INVALID_UID, "Affected SOP Instance UID"));
			return;
		}
		ReceivedInstance instance = new ReceivedInstance(sopClass, sopInstance, context.transferSyntax(),
				this.request.callingAe(), this.scp.maxFileSize());
		this.incoming = new Incoming(context.id(), rq, instance, null);
	}

	private void datasetReceived(AssociateAccept.AcceptedContext context, Incoming message)
			throws IOException, PduException {
		int field = message.command().uint16(CommandSet.COMMAND_FIELD);
		if (message.instance() == null) {
			respond(context.id(), message.command(), field | 0x8000, message.refusal());
			return;
		}
		StoreStatus status;
		try (ReceivedInstance instance = message.instance()) {
			instance.finish();
			status = store(instance);
		}
		respond(context.id(), message.command(), CommandSet.C_STORE_RSP, status);
	}

	private StoreStatus store(ReceivedInstance instance) {
		if (instance.tooLarge()) {
			return StoreStatus.of(RejectionCode.FILE_TOO_LARGE, "larger than " + this.scp.maxFileSize() + " bytes");
		}
		if (this.scp.overloaded()) {
			return new StoreStatus(StoreStatus.OUT_OF_RESOURCES, "the pipeline is saturated; try again later");
		}
		if (this.upload == null) {
			this.upload = this.scp.ingest().openUpload(this.owner);
		}
		FileOutcome outcome = this.scp.ingest()
			.ingestInto(this.upload, List.of(instance), Traceparent.childOf(this.traceRoot))
			.get(0);
		if (outcome.isAccepted()) {
			this.stored++;
		}
		StoreStatus status = StoreStatus.of(outcome);
		log.debug("C-STORE {} from {}: {} -> {}", instance.name(), this.request.callingAe(), outcome.outcome(),
				Integer.toHexString(status.status()));
		return status;
	}

	private void respond(int contextId, CommandSet rq, int responseField, StoreStatus status) throws IOException {
		CommandSet rsp = CommandSet.create()
			.uint16(CommandSet.COMMAND_FIELD, responseField)
			.uint16(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO, rq.uint16(CommandSet.MESSAGE_ID))
			.uint16(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.NO_DATA_SET)
			.uint16(CommandSet.STATUS, status.status());
		String sopClass = rq.string(CommandSet.AFFECTED_SOP_CLASS_UID);
		if (sopClass != null && !sopClass.isEmpty()) {
			rsp.uid(CommandSet.AFFECTED_SOP_CLASS_UID, sopClass);
		}
		String sopInstance = rq.string(CommandSet.AFFECTED_SOP_INSTANCE_UID);
		if (sopInstance != null && !sopInstance.isEmpty()) {
			rsp.uid(CommandSet.AFFECTED_SOP_INSTANCE_UID, sopInstance);
		}
		if (status.comment() != null) {
			rsp.text(CommandSet.ERROR_COMMENT, status.comment());
		}
		CommandSet.send(this.out, contextId, true, rsp.encode(), this.request.maxPDataLength());
	}

	/** Completes the association's upload, once: its stored instances are announced in one UploadCompleted. */
	private void complete() {
		Upload open = this.upload;
		this.upload = null;
		if (open == null) {
			return;
		}
		try {
			this.scp.ingest().commit(open, Traceparent.childOf(this.traceRoot));
		}
		catch (RuntimeException ex) {
			log.error("Completing upload {} of a DIMSE association failed", open.getId(), ex);
		}
	}

	private void abort(int reason) {
		if (this.out == null) {
			return;
		}
		try {
			this.out.write(Pdu.abort(2, reason));
			this.out.flush();
			// closing a socket with unread input resets the connection, and a reset can discard the A-ABORT
			// before the peer reads it: half-close, then read what the peer still sends (bounded) until it closes
			this.socket.shutdownOutput();
			this.socket.setSoTimeout(1000);
			byte[] sink = new byte[8192];
			long drained = 0;
			int n;
			while (drained < 1 << 20 && (n = this.socket.getInputStream().read(sink)) > 0) {
				drained += n;
			}
		}
		catch (IOException | RuntimeException ex) {
			// the peer is gone already, or does not close: the connection is closed next anyway
		}
	}

}
