"""python -m ui [--host H] [--port P]: the chat UI on http://127.0.0.1:7860 by default."""

import sys

from ui import main

if __name__ == "__main__":
    sys.exit(main())
