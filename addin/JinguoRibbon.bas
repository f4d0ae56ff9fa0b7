Attribute VB_Name = "JinguoRibbon"
' The one ribbon callback: every button of the jinguo_xl tab passes its id to Python.
' Chinese text is written as T(<quoted text>); the build turns it into ChrW codes so the module stays
' ASCII (the VBA project's code page would turn Chinese into question marks).
Option Explicit

Public Sub OnAction(control As IRibbonControl)
    If InStr(1, Application.Name, "WPS", vbTextCompare) > 0 Then
        MsgBox T("WPS 中不能运行本加载项，请使用模板自带的合计和 jinguo-xl 命令行。"), vbExclamation, "jinguo_xl"
        Exit Sub
    End If
    If ActiveWorkbook Is Nothing Then
        MsgBox T("请先打开一个统计表工作簿，再点击按钮。"), vbExclamation, "jinguo_xl"
        Exit Sub
    End If
    RegisterUdfHelp
    RunPython PythonCommand(control.Id)
End Sub

Private Function PythonCommand(ByVal controlId As String) As String
    ' Only letters, digits and underscores reach the command line (ids are checked at build).
    Dim i As Long, ch As String, safe As String
    For i = 1 To Len(controlId)
        ch = Mid$(controlId, i, 1)
        If ch Like "[A-Za-z0-9_]" Then safe = safe & ch
    Next i
    PythonCommand = "import jinguo_xl.excel.macros as m; m.run('" & safe & "')"
End Function
