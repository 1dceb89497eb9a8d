#!/usr/bin/env python
from hrss.cli import main

if __name__ == "__main__":
    main()
