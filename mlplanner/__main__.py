from mlplanner.cli import main

raise SystemExit(main())
