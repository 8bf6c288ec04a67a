<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CostPanel</name>
    <message numerus="yes">
        <location filename="../../gui/cost_panel.py" line="+201"/>
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
    <name>Dashboard</name>
    <message numerus="yes">
        <location filename="../../gui/dashboard.py" line="+420"/>
        <source>Setup check (%1): %n problem(s) to fix before the next run.</source>
        <translation>
            <numerusform>Setup check (%1): %n problem to fix before the next run.</numerusform>
            <numerusform>Setup check (%1): %n problems to fix before the next run.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Setup check (%1): ready, %n warning(s).</source>
        <translation>
            <numerusform>Setup check (%1): ready, %n warning.</numerusform>
            <numerusform>Setup check (%1): ready, %n warnings.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogView</name>
    <message numerus="yes">
        <location filename="../../gui/log_view.py" line="+145"/>
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n line</numerusform>
            <numerusform>%n lines</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SetupCheckPanel</name>
    <message numerus="yes">
        <location filename="../../gui/setup_check_panel.py" line="+95"/>
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n problem</numerusform>
            <numerusform>%n problems</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
</context>
</TS>
