"""``python -m graphmodel`` runs the command line."""

from graphmodel.cli import main

if __name__ == "__main__":
    main()
