"""Run the command line with `python -m gatecheck`."""

from gatecheck.cli.group import main

if __name__ == "__main__":
    main()
