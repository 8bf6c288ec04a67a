<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CostPanel</name>
    <message numerus="yes">
        <location filename="../../gui/cost_panel.py" line="+189"/>
        <source>%n scheduled run(s) left this month</source>
        <translation>
            <numerusform>%n scheduled run left this month</numerusform>
            <numerusform>%n scheduled runs left this month</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n more scheduled run(s)</source>
        <translation>
            <numerusform>%n more scheduled run</numerusform>
            <numerusform>%n more scheduled runs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogView</name>
    <message numerus="yes">
        <location filename="../../gui/log_view.py" line="+144"/>
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n line</numerusform>
            <numerusform>%n lines</numerusform>
        </translation>
    </message>
</context>
</TS>
