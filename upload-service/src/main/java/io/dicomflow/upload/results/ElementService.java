package io.dicomflow.upload.results;

import java.util.ArrayList;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The element operations. Writes run in read-write transactions (the primary database); reads are
 * read-only transactions, which the replica routing may serve from a replica.
 */
@Service
class ElementService {

	private final ElementStore store;

	ElementService(ElementStore store) {
		this.store = store;
	}

	/**
	 * Stores all of the elements or none: a batch is one transaction, and the first problem (a duplicate id
	 * here, a bad number while parsing) rejects the whole request.
	 */
	@Transactional
	List<ElementView> create(List<NewElement> elements, Caller caller) {
		List<String> taken = this.store.taken(elements.stream().map(NewElement::id).toList(), caller.name());
		if (!taken.isEmpty()) {
			NewElement first = elements.stream().filter((e) -> e.id().equals(taken.get(0))).findFirst().orElseThrow();
			throw ElementProblems.duplicate(first.id(), first.label() + ": an element with id \"" + first.id()
					+ "\" already exists" + ((elements.size() > 1) ? "; nothing of the batch was stored" : ""));
		}
		try {
			elements.forEach((element) -> this.store.insert(element, caller.name()));
		}
		catch (DuplicateKeyException race) {
			// another request took one of the ids between the check and the insert
			throw ElementProblems.duplicate(elements.get(0).id(), "an element id of this request was taken meanwhile");
		}
		List<ElementView> created = new ArrayList<>();
		for (NewElement element : elements) {
			created.add(this.store.find(element.id(), null, caller.name()).orElseThrow());
		}
		return created;
	}

	@Transactional(readOnly = true)
	ElementView get(String id, Integer version, Caller caller, String owner) {
		return this.store.find(id, version, ownerOf(id, caller, owner)).orElseThrow(() -> ElementProblems.notFound(id));
	}

	/** The element's PNG thumbnail; another owner's element, or one without a thumbnail, is not found. */
	@Transactional(readOnly = true)
	byte[] thumbnail(String id, Integer version, Caller caller, String owner) {
		return this.store.thumbnail(id, version, ownerOf(id, caller, owner))
			.orElseThrow(() -> ElementProblems.noThumbnail(id));
	}

	@Transactional(readOnly = true)
	List<ElementView> versions(String id, Caller caller, String owner) {
		List<ElementView> versions = this.store.versions(id, ownerOf(id, caller, owner));
		if (versions.isEmpty()) {
			throw ElementProblems.notFound(id);
		}
		return versions;
	}

	@Transactional(readOnly = true)
	Page<ElementView> list(ElementFilter filter, Pageable page, Caller caller) {
		long total = this.store.count(filter, caller);
		List<ElementView> content = (page.getOffset() < total)
				? this.store.list(filter, caller, page.getSort(), page.getOffset(), page.getPageSize()) : List.of();
		return new PageImpl<>(content, page, total);
	}

	/** @param newId the new id or {@code null}; @param deviceName the new name or {@code null} */
	@Transactional
	ElementView update(String id, String newId, String deviceName, Caller caller, String owner) {
		String of = ownerOf(id, caller, owner);
		if (newId != null && !newId.equals(id) && !this.store.taken(List.of(newId), of).isEmpty()) {
			throw ElementProblems.duplicate(newId, "an element with id \"" + newId + "\" already exists");
		}
		int changed;
		try {
			changed = this.store.update(id, newId, deviceName, of);
		}
		catch (DuplicateKeyException race) {
			throw ElementProblems.duplicate(newId, "an element with id \"" + newId + "\" already exists");
		}
		if (changed == 0) {
			throw ElementProblems.notFound(id);
		}
		return this.store.find((newId != null) ? newId : id, null, of).orElseThrow();
	}

	@Transactional
	void delete(String id, Caller caller, String owner) {
		if (this.store.delete(id, ownerOf(id, caller, owner)) == 0) {
			throw ElementProblems.notFound(id);
		}
	}

	/**
	 * Whose element {@code id} a single-element request is about. A user's own, always (another owner's id is
	 * not found, whatever the {@code owner} parameter). An admin's: the named owner's; without one, the only
	 * owner having that id, or 409 when several have it (ids are per owner).
	 */
	private String ownerOf(String id, Caller caller, String owner) {
		if (!caller.admin()) {
			return caller.name();
		}
		if (owner != null && !owner.isBlank()) {
			return owner;
		}
		List<String> owners = this.store.owners(id);
		if (owners.size() > 1) {
			throw ElementProblems.ambiguous(id);
		}
		return owners.isEmpty() ? caller.name() : owners.get(0);
	}

}
