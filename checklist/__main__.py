"""`python -m checklist` behaves exactly like the `checklist` command."""

from checklist.cli import main

if __name__ == "__main__":
    main()
