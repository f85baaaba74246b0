"""``python -m storyweave``: the command line, for environments without the console script on PATH."""

from storyweave.cli import main

raise SystemExit(main())
