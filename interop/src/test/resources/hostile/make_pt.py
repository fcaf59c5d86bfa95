#!/usr/bin/python3
"""Writes the hostile torch.save-style archives under pt/ (regression inputs of issue 19).

Each is a zip holding archive/data.pkl and archive/version, as torch.save writes, with a pickle that
PyTorch itself would load (or refuse) but that once hung or crashed Kiln. Plain pickle opcodes only:
no torch needed. Run with Debian's /usr/bin/python3 from this folder.
"""
import io
import pickle
import struct
import zipfile


def archive(name, pkl):
    with zipfile.ZipFile("pt/" + name, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", pkl)
        z.writestr("archive/version", "3\n")


def shared_dicts(levels):
    # {'a': d, 'b': d} nested: 1.2 KB pickled (the memo shares d), 2^levels values when copied naively.
    d = {"w": 1}
    for _ in range(levels):
        d = {"a": d, "b": d}
    return pickle.dumps(d, protocol=2)


def shared_lists(levels):
    d = [1]
    for _ in range(levels):
        d = [d, d]
    return pickle.dumps({"root": d}, protocol=2)


def self_dict():
    d = {"w": 1}
    d["self"] = d
    return pickle.dumps(d, protocol=2)


def self_list():
    l = [1]
    l.append(l)
    return pickle.dumps({"l": l}, protocol=2)


def deep_lists(depth):
    # {'k': [[[...]]]} depth levels deep, built with EMPTY_LIST x depth then APPEND x (depth - 1):
    # pickle.dumps itself would overflow Python's stack.
    out = io.BytesIO()
    out.write(b"\x80\x02}X\x01\x00\x00\x00k")
    out.write(b"]" * depth)
    out.write(b"a" * (depth - 1))
    out.write(b"s.")
    return out.getvalue()


def list_key():
    # {L: 1} where L = [L]: Python refuses (unhashable list); a Java HashMap would hash L forever.
    return b"\x80\x02}]q\x00h\x00aK\x01s."


archive("shared-dicts-40.pt", shared_dicts(40))
archive("shared-lists-40.pt", shared_lists(40))
archive("self-dict.pt", self_dict())
archive("self-list.pt", self_list())
archive("deep-lists-200k.pt", deep_lists(200_000))
archive("list-key.pt", list_key())
