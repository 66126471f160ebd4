"""The Wet Bibob toets (docs/domain.md §3; developer notes in docs/bibob.md)."""


def competent_body(case) -> str:
    """The body competent for the Bibob case's decision, as recorded on its
    intake: "burgemeester" or "college" (`workflows.bibob.acts`). The kernel's
    letters may read it for the bestuursorgaan, the signer and the bezwaar
    addressee; imported lazily so the package loads before its models."""
    from workflows.bibob.acts import competent_body as body

    return body(case)
