"""Small sources built in the tests, in the real formats: a Word document (the minimal
OOXML parts Word itself needs) and EPUBs made with ebooklib."""

from __future__ import annotations

import io
import zipfile
from html import escape

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""
DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>
</Relationships>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
</w:styles>"""
CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title><dc:creator>{author}</dc:creator></cp:coreProperties>"""


def run(text: str, italic: bool = False, bold: bool = False) -> str:
    props = ("<w:i/>" if italic else "") + ("<w:b/>" if bold else "")
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text, quote=False)}</w:t></w:r>'


def para(*runs: str, style: str = "", align: str = "") -> str:
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + (f'<w:jc w:val="{align}"/>' if align else "")
    return f"<w:p>{'<w:pPr>' + ppr + '</w:pPr>' if ppr else ''}{''.join(runs)}</w:p>"


def docx(paragraphs: list[str], title: str, author: str, comments: int = 0) -> bytes:
    body = "".join(paragraphs)
    comment_xml = "".join(f'<w:comment w:id="{i}" w:author="Beta"><w:p><w:r><w:t>note {i}</w:t></w:r></w:p></w:comment>'
                          for i in range(comments))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/_rels/document.xml.rels", DOC_RELS)
        z.writestr("word/styles.xml", STYLES)
        z.writestr("word/comments.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:comments {W}>{comment_xml}</w:comments>')
        z.writestr("docProps/core.xml", CORE.format(title=escape(title), author=escape(author)))
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                        f'<w:document {W}><w:body>{body}</w:body></w:document>')
    return out.getvalue()


def epub_book(path, title: str, author: str, chapters: list[tuple[str, str, str]], *, series=None,
              images: dict[str, bytes] = None, subjects=(), description: str = "", extra_front: bool = True):
    """An EPUB 3 written by ebooklib: ``chapters`` as (file name, nav title, body HTML)."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("urn:uuid:12345678-1234-5678-1234-567812345678")
    book.set_title(title)
    book.set_language("en")
    book.add_author(author)
    if description:
        book.add_metadata("DC", "description", description)
    for s in subjects:
        book.add_metadata("DC", "subject", s)
    if series:
        book.add_metadata(None, "meta", "", {"name": "calibre:series", "content": series[0]})
        book.add_metadata(None, "meta", "", {"name": "calibre:series_index", "content": str(series[1])})
    for name, data in (images or {}).items():
        book.add_item(epub.EpubItem(uid=name.replace("/", "-").replace(".", "-"), file_name=name,
                                    media_type="image/png", content=data))
    items = []
    if extra_front:
        tp = epub.EpubHtml(title="Title page", file_name="titlepage.xhtml", lang="en")
        tp.content = f"<h1>{escape(title)}</h1><p>by {escape(author)}</p>"
        book.add_item(tp)
        items.append(tp)
    toc = []
    for name, nav_title, body in chapters:
        ch = epub.EpubHtml(title=nav_title, file_name=name, lang="en")
        ch.content = body
        book.add_item(ch)
        items.append(ch)
        if nav_title:
            toc.append(ch)
    book.toc = toc
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    epub.write_epub(str(path), book)
    return path
