"""The Gradio chat UI: ``create_app(ask)`` builds it, ``main()`` launches it."""


def create_app(ask=None, **kwargs):
    """Build the Gradio app; see ui.app.create_app."""
    from ui.app import create_app as _create

    return _create(ask, **kwargs)


def main(argv=None) -> int:
    """Launch the chat UI (python -m ui); see ui.app.main."""
    from ui.app import main as _main

    return _main(argv)
