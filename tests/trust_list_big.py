"""Writes a list of accredited CAs in the published shape, of about SIZE bytes: CAs of 20
certificates each (random bytes of 2 KiB as the certificate, its real SHA-1 thumbprint), for
measuring the import's memory on a list as large as the cap. Usage: trust_list_big.py FILE SIZE"""
import base64
import hashlib
import os
import sys

path, size = sys.argv[1], int(sys.argv[2])
with open(path, "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="utf-8"?>\n<АккредитованныеУдостоверяющиеЦентры>\n')
    out.write("  <Версия>1</Версия>\n  <Дата>2026-11-30T10:00:00+03:00</Дата>\n")
    n = 0
    while out.tell() < size - 70_000:
        n += 1
        out.write(f"  <УдостоверяющийЦентр>\n    <Название>УЦ № {n}</Название>\n")
        out.write("    <ПрограммноАппаратныеКомплексы><ПрограммноАппаратныйКомплекс><КлючиУполномоченныхЛиц><Ключ>\n")
        out.write(f"      <ИдентификаторКлюча>{n:040X}</ИдентификаторКлюча>\n")
        out.write(f"      <АдресаСписковОтзыва><Адрес>http://uc{n}.example.ru/1.crl</Адрес></АдресаСписковОтзыва>\n      <Сертификаты>\n")
        for i in range(20):
            der = os.urandom(2048)
            data = base64.encodebytes(der).decode()
            out.write("        <ДанныеСертификата>\n")
            out.write(f"          <Отпечаток>{hashlib.sha1(der).hexdigest().upper()}</Отпечаток>\n")
            out.write(f"          <СерийныйНомер>{n:08X}{i:04X}</СерийныйНомер>\n")
            out.write("          <ПериодДействияС>2024-01-01T00:00:00+03:00</ПериодДействияС>\n")
            out.write("          <ПериодДействияДо>2034-01-01T00:00:00+03:00</ПериодДействияДо>\n")
            out.write(f"          <Данные>{data}</Данные>\n        </ДанныеСертификата>\n")
        out.write("      </Сертификаты>\n    </Ключ></КлючиУполномоченныхЛиц></ПрограммноАппаратныйКомплекс></ПрограммноАппаратныеКомплексы>\n")
        out.write(f"    <ИНН>77{n:08d}</ИНН>\n    <ОГРН>10277{n:08d}</ОГРН>\n    <РеестровыйНомер>{n}</РеестровыйНомер>\n")
        out.write("    <СтатусАккредитации><Статус>Действует</Статус><ДействуетС>2021-07-01T00:00:00+03:00</ДействуетС></СтатусАккредитации>\n")
        out.write("  </УдостоверяющийЦентр>\n")
    out.write("</АккредитованныеУдостоверяющиеЦентры>\n")
