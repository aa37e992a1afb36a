package io.dicomflow.common.dicom.net;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The acceptor's answer to proposed presentation contexts (PS3.8 9.3.3.2): a context whose abstract syntax is
 * not supported is rejected with reason 3; one whose transfer syntaxes are all unsupported with reason 4;
 * otherwise the requestor's first proposed transfer syntax that this side reads is accepted (the requestor lists
 * them in its order of preference, and keeping a compressed syntax spares it a transcode).
 */
public final class Negotiation {

    private Negotiation() {
    }

    public static List<AssociateAccept.AcceptedContext> answer(List<AssociateRequest.ProposedContext> proposed,
            Predicate<String> abstractSyntaxSupported, Predicate<String> transferSyntaxSupported) {
        List<AssociateAccept.AcceptedContext> answers = new ArrayList<>(proposed.size());
        for (AssociateRequest.ProposedContext p : proposed) {
            String first = p.transferSyntaxes().get(0);
            if (!abstractSyntaxSupported.test(p.abstractSyntax())) {
                answers.add(new AssociateAccept.AcceptedContext(p.id(),
                        AssociateAccept.ABSTRACT_SYNTAX_NOT_SUPPORTED, first, p.abstractSyntax()));
                continue;
            }
            String chosen = p.transferSyntaxes().stream().filter(transferSyntaxSupported).findFirst()
                    .orElse(null);
            answers.add(chosen == null
                    ? new AssociateAccept.AcceptedContext(p.id(), AssociateAccept.TRANSFER_SYNTAXES_NOT_SUPPORTED,
                            first, p.abstractSyntax())
                    : new AssociateAccept.AcceptedContext(p.id(), AssociateAccept.ACCEPTANCE, chosen,
                            p.abstractSyntax()));
        }
        return List.copyOf(answers);
    }
}
