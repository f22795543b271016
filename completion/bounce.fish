# bounce.fish: fish completion for bounce(1); the words come from 'bounce --complete WHAT'.
function __bounce_words
    set -l cmd (commandline -opc)[1]
    $cmd --complete $argv 2>/dev/null
end

# the first word after the options: the command, if any
function __bounce_first
    for w in (commandline -opc)[2..-1]
        switch $w
            case '-*'
            case '*'
                echo $w
                return 0
        end
    end
    return 1
end

# --log: the words after it are the browser's logs
function __bounce_log
    contains -- --log (commandline -opc)
end

function __bounce_wants_code
    __bounce_log
    and return 1
    set -l first (__bounce_first)
    or return 0
    contains -- $first explain scan search list tui
    and return 1
    return 0
end

complete -c bounce -f
complete -c bounce -n 'not __bounce_first; and not __bounce_log' -a '(__bounce_words commands)'
complete -c bounce -n __bounce_wants_code -a '(__bounce_words providers; __bounce_words keys)'
complete -c bounce -n '__bounce_first | string match -q explain' -F
complete -c bounce -n '__bounce_first | string match -q scan' -F
complete -c bounce -n __bounce_log -F
complete -c bounce -s j -l json -d 'print JSON'
complete -c bounce -s h -l help -d 'show the help'
complete -c bounce -s V -l version -d 'show the version and the catalogs'
complete -c bounce -l full -d 'every provider entry in full'
complete -c bounce -l brief -d 'one line per entry'
complete -c bounce -l limit -x -d 'at most N search results'
complete -c bounce -l catalog -r -F -d 'also load this catalog'
complete -c bounce -l no-user-catalogs -d 'only the built-in and --catalog files'
complete -c bounce -l export-db -r -F -d 'write the catalog index'
complete -c bounce -l lines -d 'explain: each line is one bounce'
complete -c bounce -l messages -d 'explain: each message is one bounce'
complete -c bounce -l exit-action -d 'explain: exit status says what to do'
complete -c bounce -l max-input -x -d 'explain: the largest input'
complete -c bounce -l format -x -a '(__bounce_words formats)' -d 'explain: text or tsv'
complete -c bounce -l threads -x -d 'explain --lines, scan: threads'
complete -c bounce -l suppress -r -F -d 'scan: write the addresses to stop mailing'
complete -c bounce -l soft-limit -x -d 'scan: soft failures before suppressing'
complete -c bounce -l state -r -F -d 'scan: history across runs in FILE'
complete -c bounce -l why -x -d 'scan: why an address is suppressed'
complete -c bounce -l merge -d 'scan: merge state files into --state'
complete -c bounce -l color -x -a '(__bounce_words colors)' -d 'colour output'
complete -c bounce -l no-pager -d 'do not page long output'
complete -c bounce -l no-mouse -d 'browser: no mouse'
complete -c bounce -l script -r -F -d 'browser: keys from FILE'
complete -c bounce -l log -d 'browser: the Report view of these logs'
complete -c bounce -l view -x -a '(__bounce_words views)' -d 'browser: start in this view'
complete -c bounce -l no-cache -d 'do not use the index cache'
complete -c bounce -l list-actions -d "the browser's keys"
complete -c bounce -l dump-config -d "the browser's built-in configuration"
complete -c bounce -l class -x -a '2 3 4 5' -d 'list: class'
complete -c bounce -l subject -x -a '0 1 2 3 4 5 6 7' -d 'list: subject'
complete -c bounce -l provider -x -a '(__bounce_words providers)' -d 'list: provider'
complete -c bounce -l reason -x -a '(__bounce_words reasons)' -d 'list: reason'
complete -c bounce -l impact -x -a '(__bounce_words impacts)' -d 'list: impact'
complete -c bounce -l kind -x -a '(__bounce_words kinds)' -d 'list: kind'
complete -c bounce -l csv -d 'scan: the tables as CSV'
complete -c bounce -l follow -d 'scan: keep reading a growing log'
complete -c bounce -l interval -x -d 'scan --follow: seconds between summaries'
complete -c bounce -l top -x -d 'scan: rows of the lists'
complete -c bounce -l max-open -x -d 'scan: deferred recipients followed'
complete -c bounce -l no-progress -d 'scan: no progress bar'
complete -c bounce -l no-save -d 'scan: keep nothing for the browser'
complete -c bounce -l last -d 'scan: the report of the last scan kept'
