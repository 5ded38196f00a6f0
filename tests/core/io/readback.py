"""Independent reader for the export tests: parses a CSV with Python's csv module or a JSON Lines
file with Python's json module (both decoding UTF-8 strictly) and prints what it read as JSON."""
import csv
import json
import sys


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "csv":
        delimiter = sys.argv[3]
        with open(path, newline="", encoding="utf-8-sig", errors="strict") as f:
            rows = list(csv.reader(f, delimiter=delimiter, strict=True))
        print(json.dumps(rows))
    elif mode == "jsonl":
        with open(path, "rb") as f:
            data = f.read().decode("utf-8", errors="strict")
        lines = data.split("\n")
        if lines[-1] != "":
            sys.exit("the last line does not end with a newline")
        print(json.dumps([json.loads(line) for line in lines[:-1]]))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
