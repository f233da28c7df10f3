from readingroom.cli import main

raise SystemExit(main())
