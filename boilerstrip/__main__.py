"""``python -m boilerstrip``: the same as the ``boilerstrip`` command."""

if __name__ == "__main__":
    from boilerstrip.cli import main

    raise SystemExit(main())
