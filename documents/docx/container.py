"""Checks on the DOCX container (zip) before anything parses it.

Limits against zip bombs are enforced from the central directory first (cheap, no
decompression), then again while stream-decompressing with a cap, so a lying header
cannot make us inflate more than MAX_UNPACKED bytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from lxml import etree

from documents.docx.errors import TemplateInvalid, TemplateUnsafe

MAX_MEMBERS = 1_000
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # tiny members may legitimately compress very well
MAX_CENTRAL_DIRECTORY = 1024 * 1024
CHUNK = 64 * 1024
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MARKERS = ("vbaproject.bin", "vbadata.xml", "macroenabled", "activex")

SAFE_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=False,
)


def _eocd_limits(data: bytes) -> None:
    """Read the member count and directory size before zipfile parses the directory."""
    tail = data[-(65_535 + 22) :]
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < 22:
        raise TemplateInvalid("Файл не является документом DOCX (это не zip-архив)")
    entries, cd_size = struct.unpack("<HI", tail[pos + 10 : pos + 16])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        loc = tail.rfind(b"PK\x06\x07", 0, pos)
        if loc >= 0:
            (offset,) = struct.unpack("<Q", tail[loc + 8 : loc + 16])
            record = data[offset : offset + 56]
            if record[:4] == b"PK\x06\x06" and len(record) == 56:
                entries, cd_size = struct.unpack("<QQ", record[32:48])
    if entries > MAX_MEMBERS:
        raise TemplateInvalid(
            f"В архиве DOCX слишком много файлов: {entries} (допустимо не более {MAX_MEMBERS})"
        )
    if cd_size > MAX_CENTRAL_DIRECTORY:
        raise TemplateInvalid("Каталог архива DOCX слишком велик — файл отклонён")


def _check_declared(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise TemplateInvalid(
            f"В архиве DOCX слишком много файлов: {len(infos)} (допустимо не более {MAX_MEMBERS})"
        )
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise TemplateInvalid("В архиве DOCX есть файлы с одинаковыми именами")
    total = 0
    for info in infos:
        segments = info.filename.replace("\\", "/").split("/")
        if info.filename.startswith(("/", "\\")) or ".." in segments or ":" in segments[0]:
            raise TemplateUnsafe(f"Недопустимое имя файла в архиве DOCX: «{info.filename[:100]}» "
                                 "(путь за пределы архива)")
        lowered = info.filename.lower()
        if any(marker in lowered for marker in MACRO_MARKERS):
            raise TemplateInvalid(
                f"Документ содержит макросы или элементы ActiveX ({info.filename}); "
                "загрузите шаблон в формате .docx без макросов"
            )
        if info.flag_bits & 0x1:
            raise TemplateInvalid(f"Файл {info.filename} в архиве зашифрован")
        total += info.file_size
        if total > MAX_UNPACKED:
            raise TemplateInvalid(
                f"Распакованный размер шаблона превышает {MAX_UNPACKED // 2**20} МБ "
                f"(файл {info.filename}: {info.file_size} байт)"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_FLOOR and ratio > MAX_RATIO:
            raise TemplateInvalid(
                f"Подозрительно высокая степень сжатия файла {info.filename} "
                f"({ratio:.0f}:1, допустимо не более {MAX_RATIO}:1)"
            )
    packed = sum(i.compress_size for i in infos)
    if total >= RATIO_FLOOR and total / max(packed, 1) > MAX_RATIO:
        raise TemplateInvalid(
            f"Подозрительно высокая степень сжатия архива ({total / max(packed, 1):.0f}:1)"
        )


def _is_xml(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith((".xml", ".rels"))


def read_parts(data: bytes) -> dict[str, bytes]:
    """Validate the container and return its XML parts (name → bytes)."""
    if not isinstance(data, (bytes, bytearray)) or not data.startswith(b"PK"):
        raise TemplateInvalid("Файл не является документом DOCX (это не zip-архив)")
    _eocd_limits(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise TemplateInvalid(f"Файл не является документом DOCX: {exc}") from exc
    with archive:
        infos = archive.infolist()
        _check_declared(infos)
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise TemplateInvalid(
                "Файл не является документом DOCX (нет [Content_Types].xml или word/document.xml)"
            )
        return _inflate(archive, infos)


def _inflate(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    parts: dict[str, bytes] = {}
    budget = MAX_UNPACKED
    for info in infos:
        if info.is_dir():
            continue
        keep = _is_xml(info.filename)
        chunks: list[bytes] = []
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    budget -= len(chunk)
                    if budget < 0:
                        raise TemplateInvalid(
                            f"Распакованный размер шаблона превышает "
                            f"{MAX_UNPACKED // 2**20} МБ (файл {info.filename})"
                        )
                    if keep:
                        chunks.append(chunk)
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            NotImplementedError,
            OSError,
            RuntimeError,
        ) as exc:
            raise TemplateInvalid(f"Архив DOCX повреждён (файл {info.filename}): {exc}") from exc
        if keep:
            parts[info.filename] = b"".join(chunks)
    return parts


def decode_part(name: str, raw: bytes) -> str:
    """Decode an XML part; refuse DTDs/entities and malformed XML, naming the part."""
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TemplateInvalid(f"Часть {name} в неподдерживаемой кодировке") from exc
    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered:
        raise TemplateInvalid(
            f"Часть {name} содержит объявление DTD или сущностей (<!DOCTYPE/<!ENTITY>) — "
            "такие файлы не принимаются"
        )
    return text


def parse_part(name: str, text: str) -> etree._Element:
    """Parse with entity resolution and network access off."""
    try:
        return etree.fromstring(_without_declaration(text).encode("utf-8"), SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise TemplateInvalid(f"Часть {name} содержит повреждённый XML: {exc}") from exc


def _without_declaration(text: str) -> str:
    stripped = text.lstrip()
    if not stripped.startswith("<?xml"):
        return stripped
    end = stripped.find("?>")
    return stripped[end + 2 :] if end >= 0 else stripped


def check_relationships(name: str, root: etree._Element) -> None:
    """External relationships make Word fetch URLs/files when the document is opened."""
    if not name.lower().endswith(".rels"):
        return
    for rel in root:
        if str(rel.get("TargetMode", "")).lower() == "external":
            raise TemplateInvalid(
                f"Шаблон содержит внешнюю ссылку ({name}: {rel.get('Target', '')}); "
                'внешние связи (TargetMode="External") не допускаются'
            )


def check_content_types(root: etree._Element) -> None:
    for override in root:
        content_type = str(override.get("ContentType", "")).lower()
        if "macroenabled" in content_type or "vbaproject" in content_type:
            raise TemplateInvalid(
                "Документ с макросами (.docm) не принимается; сохраните шаблон как .docx"
            )
    types = {str(o.get("ContentType", "")) for o in root}
    if MAIN_TYPE not in types:
        raise TemplateInvalid("Файл не является документом DOCX (неверный тип основной части)")
