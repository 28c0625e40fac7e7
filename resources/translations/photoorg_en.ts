<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
  <context>
    <name>AlbumCommands</name>
    <message numerus="yes">
      <location filename="../../photoorg/ui/album_commands.py" line="49" />
      <source>Album “{0}” created with %n photo(s)</source>
      <translation>
        <numerusform>Album “{0}” created with %n photo</numerusform>
        <numerusform>Album “{0}” created with %n photos</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/album_commands.py" line="65" />
      <source>Added %n photo(s) to “{0}”</source>
      <translation>
        <numerusform>Added %n photo to “{0}”</numerusform>
        <numerusform>Added %n photos to “{0}”</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/album_commands.py" line="82" />
      <source>Removed %n photo(s) from “{0}”</source>
      <translation>
        <numerusform>Removed %n photo from “{0}”</numerusform>
        <numerusform>Removed %n photos from “{0}”</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>BrowserPage</name>
    <message numerus="yes">
      <location filename="../../photoorg/ui/widgets/browser.py" line="221" />
      <source>%n best match(es)</source>
      <translation>
        <numerusform>%n best match</numerusform>
        <numerusform>%n best matches</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/widgets/browser.py" line="225" />
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
      <location filename="../../photoorg/ui/file_commands.py" line="141" />
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
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="190" />
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
      <location filename="../../photoorg/ui/main_window.py" line="319" />
      <source>%n photo(s) shown</source>
      <translation>
        <numerusform>%n photo shown</numerusform>
        <numerusform>%n photos shown</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/main_window.py" line="329" />
      <source>%n unreadable file(s)</source>
      <translation>
        <numerusform>%n unreadable file</numerusform>
        <numerusform>%n unreadable files</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/main_window.py" line="351" />
      <source>%n photo(s) on the map</source>
      <translation>
        <numerusform>%n photo on the map</numerusform>
        <numerusform>%n photos on the map</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/main_window.py" line="382" />
      <source> and %n more photo(s)</source>
      <translation>
        <numerusform> and %n more photo</numerusform>
        <numerusform> and %n more photos</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/window_indexing.py" line="32" />
      <source>Encoding %n photo(s) that wait… {0:,} done; searching by description covers them as they are done.</source>
      <translation>
        <numerusform>Encoding %n photo that waits… {0:,} done; searching by description covers it once it is done.</numerusform>
        <numerusform>Encoding %n photos that wait… {0:,} done; searching by description covers them as they are done.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>PeopleDialog</name>
    <message numerus="yes">
      <location filename="../../photoorg/ui/dialogs/people.py" line="110" />
      <source>%n photo(s)</source>
      <translation>
        <numerusform>%n photo</numerusform>
      </translation>
    </message>
  </context>
</TS>