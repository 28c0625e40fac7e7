<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
  <context>
    <name>BrowserPage</name>
    <message numerus="yes">
      <location filename="../../photoorg/ui/widgets/browser.py" line="211" />
      <source>%n best match(es)</source>
      <translation>
        <numerusform>%n best match</numerusform>
        <numerusform>%n best matches</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/widgets/browser.py" line="215" />
      <source>%n photo(s)</source>
      <translation>
        <numerusform>%n photo</numerusform>
        <numerusform>%n photos</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ClusterItem</name>
    <message numerus="yes">
      <location filename="../../photoorg/ui/widgets/map_view.py" line="85" />
      <source>%n photo(s)</source>
      <translation>
        <numerusform>%n photo</numerusform>
        <numerusform>%n photos</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Commands</name>
    <message numerus="yes">
      <location filename="../../photoorg/ui/commands.py" line="340" />
      <source>Wrote %n XMP sidecar(s)</source>
      <translation>
        <numerusform>Wrote %n XMP sidecar</numerusform>
        <numerusform>Wrote %n XMP sidecars</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>DuplicatesDialog</name>
    <message numerus="yes">
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="177" />
      <source>%n group(s) of exact copies</source>
      <translation>
        <numerusform>%n group of exact copies</numerusform>
        <numerusform>%n groups of exact copies</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message numerus="yes">
      <location filename="../../photoorg/ui/main_window.py" line="333" />
      <source>%n photo(s) shown</source>
      <translation>
        <numerusform>%n photo shown</numerusform>
        <numerusform>%n photos shown</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/main_window.py" line="344" />
      <source>%n unreadable file(s)</source>
      <translation>
        <numerusform>%n unreadable file</numerusform>
        <numerusform>%n unreadable files</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/main_window.py" line="365" />
      <source>%n photo(s) on the map</source>
      <translation>
        <numerusform>%n photo on the map</numerusform>
        <numerusform>%n photos on the map</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>PeopleDialog</name>
    <message numerus="yes">
      <location filename="../../photoorg/ui/dialogs/people.py" line="110" />
      <source>%n photo(s)</source>
      <translation type="unfinished">
        <numerusform>%n photo</numerusform>
      </translation>
    </message>
  </context>
</TS>