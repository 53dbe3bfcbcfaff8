#!/usr/bin/env python3
"""tagged_check.py PDF - reads a tagged PDF with pikepdf and checks what
PDF/UA-1 asks that a program can see: every text show operator lies in a
marked-content sequence that is an /Artifact or has an MCID which the
ParentTree maps to a structure element holding that MCID for that page;
every Figure has /Alt; every link annotation has a /StructParent naming a
Link element that holds it by OBJR; the catalog has MarkInfo, Lang and
DisplayDocTitle.  Prints one "ERR ..." line per problem, then a summary
line "texts=N artifacts=N mcids=N figures=N links=N spanning=TYPE@P-Q,...",
and exits 1 when anything failed."""
import sys

import pikepdf
from pikepdf import Name

TEXT_OPS = {"Tj", "TJ", "'", '"'}
errors = []


def err(msg):
    errors.append(msg)
    print("ERR " + msg)


def same(a, b):
    return a.objgen == b.objgen and a.objgen != (0, 0)


def main(path):
    pdf = pikepdf.open(path)
    root = pdf.Root
    if "/StructTreeRoot" not in root:
        err("no StructTreeRoot")
        return
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        err("MarkInfo /Marked is not true")
    if not str(root.get("/Lang", "")):
        err("no /Lang on the catalog")
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        err("ViewerPreferences /DisplayDocTitle is not true")
    str_root = root.StructTreeRoot
    nums = number_tree(str_root.ParentTree)
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    if keys != sorted(keys):
        err("ParentTree keys out of order")
    if int(str_root.get("/ParentTreeNextKey", 0)) <= max(keys, default=-1):
        err("ParentTreeNextKey not past the last key")

    texts = artifacts = mcids = 0
    pages_of = {}  # element objgen -> (type, set of page numbers)
    for pno, page in enumerate(pdf.pages):
        if "/StructParents" not in page.obj:
            err(f"page {pno + 1}: no /StructParents")
            continue
        arr = parent_tree.get(int(page.obj.StructParents))
        if arr is None:
            err(f"page {pno + 1}: StructParents not in the ParentTree")
            continue
        stack = []  # per open sequence: ("artifact"|"mcid"|"other", mcid)
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "BMC":
                stack.append(("artifact" if operands[0] == Name.Artifact else "other", None))
            elif op == "BDC":
                tag, props = operands[0], operands[1]
                if tag == Name.Artifact:
                    stack.append(("artifact", None))
                elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    mcid = int(props.MCID)
                    mcids += 1
                    stack.append(("mcid", mcid))
                    if mcid >= len(arr):
                        err(f"page {pno + 1}: MCID {mcid} not in the ParentTree")
                        continue
                    elem = arr[mcid]
                    if elem.get("/S") != tag:
                        err(f"page {pno + 1}: MCID {mcid} tagged {tag}, element is {elem.get('/S')}")
                    if not holds(elem, mcid, page.obj):
                        err(f"page {pno + 1}: element {elem.get('/S')} does not hold MCID {mcid}")
                    t, pgs = pages_of.setdefault(elem.objgen, (str(elem.S)[1:], set()))
                    pgs.add(pno + 1)
                else:
                    stack.append(("other", None))
            elif op == "EMC":
                if not stack:
                    err(f"page {pno + 1}: EMC without BMC/BDC")
                else:
                    stack.pop()
            elif op in TEXT_OPS:
                texts += 1
                kinds = [k for k, _ in stack]
                if "artifact" in kinds:
                    artifacts += 1
                elif "mcid" not in kinds:
                    err(f"page {pno + 1}: text shown outside marked content with an MCID")
        if stack:
            err(f"page {pno + 1}: marked content left open")

    figures = links = 0
    for elem in walk(str_root):
        s = elem.get("/S")
        if s == Name.Figure:
            figures += 1
            if "/Alt" not in elem:
                err("a Figure without /Alt")
        if "/P" not in elem:
            err(f"element {s} without a parent")

    for pno, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != Name.Link:
                continue
            links += 1
            if "/StructParent" not in annot:
                err(f"page {pno + 1}: a link annotation without /StructParent")
                continue
            elem = parent_tree.get(int(annot.StructParent))
            if elem is None or elem.get("/S") != Name.Link:
                err(f"page {pno + 1}: a link's StructParent names no Link element")
                continue
            if not any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == Name.OBJR
                       and same(k.Obj, annot) for k in kids(elem)):
                err(f"page {pno + 1}: the Link element does not hold its annotation")
            if not str(annot.get("/Contents", "")):
                err(f"page {pno + 1}: a link annotation without /Contents")

    spanning = sorted(f"{t}@{min(p)}-{max(p)}" for t, p in pages_of.values() if len(p) > 1)
    print(f"texts={texts} artifacts={artifacts} mcids={mcids} figures={figures} "
          f"links={links} spanning={','.join(spanning)}")


def number_tree(node):
    """A number tree's keys and values, in order, its leaves' Limits checked."""
    out = list(node.get("/Nums", []))
    if out and "/Limits" in node:
        lo, hi = int(node.Limits[0]), int(node.Limits[1])
        if int(out[0]) != lo or int(out[-2]) != hi:
            err(f"ParentTree leaf Limits [{lo} {hi}] do not match its keys")
    for kid in node.get("/Kids", []):
        out += number_tree(kid)
    return out


def kids(elem):
    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def holds(elem, mcid, page):
    for k in kids(elem):
        if isinstance(k, int) or (hasattr(k, "is_integer") and k.is_integer):
            if int(k) == mcid and "/Pg" in elem and same(elem.Pg, page):
                return True
        elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == Name.MCR:
            pg = k.get("/Pg", elem.get("/Pg"))
            if int(k.MCID) == mcid and pg is not None and same(pg, page):
                return True
    return False


def walk(node):
    for k in kids(node):
        if isinstance(k, pikepdf.Dictionary) and k.get("/Type") in (None, Name.StructElem) \
                and "/S" in k:
            yield k
            yield from walk(k)


if __name__ == "__main__":
    main(sys.argv[1])
    sys.exit(1 if errors else 0)
